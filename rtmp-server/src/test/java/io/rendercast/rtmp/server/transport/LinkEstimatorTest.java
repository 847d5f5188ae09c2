package io.rendercast.rtmp.server.transport;

import io.rendercast.rtmp.LinkEstimate;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The path's rate and queue, read from byte counts sampled once a frame. */
class LinkEstimatorTest {

    private static final long FRAME_NANOS = 33_333_333;

    @Test
    void readsTheRateFromAcknowledgementsThatComeAWindowAtATime() {
        LinkEstimator estimator = new LinkEstimator();
        LinkEstimate estimate = null;
        long written = 0;
        long received = 0;
        long acknowledged = -1;
        for (int frame = 0; frame < 150; frame++) {
            long nanos = frame * FRAME_NANOS;
            written += 10_000;                    // 2.4 Mbit/s offered
            received = Math.min(written, received + 1_000_000 / 8 / 30); // 1 Mbit/s delivered
            if (received - Math.max(0, acknowledged) >= 32 << 10) {
                acknowledged = received;          // a 32 KiB window, acknowledged as a whole
            }
            estimate = estimator.update(new LinkSample(nanos, written, 0, acknowledged, 0));
        }
        assertEquals(1_000_000, estimate.deliveryRate(), 120_000, "delivery rate");
        // The byte acknowledged last was taken by the socket when 0.42 of what is written now had been: about
        // 2.9 s ago (acknowledged a window at a time and sampled once a frame, it is timed a little short). The
        // queue is what that has beyond the quickest round trip timed, 0.3 s: the queue grew from the start.
        assertEquals(2.9, estimate.roundTrip().toMillis() / 1e3, 0.3, "round trip: " + estimate);
        assertEquals(estimate.roundTrip().toMillis() - 300, estimate.queueDelay().toMillis(), 100,
                "queue delay: " + estimate);
    }

    @Test
    void withoutAcknowledgementsOnlyTheServersQueueCounts() {
        LinkEstimator estimator = new LinkEstimator();
        LinkEstimate estimate = null;
        for (int frame = 0; frame < 60; frame++) {
            long taken = frame * 4_000L;           // the socket takes 0.96 Mbit/s
            estimate = estimator.update(new LinkSample(frame * FRAME_NANOS, taken + 12_000, 12_000, -1, 0));
        }
        assertEquals(960_000, estimate.deliveryRate(), 50_000);
        assertEquals(100, estimate.queueDelay().toMillis(), 10, "12 KB queued at 0.96 Mbit/s");
    }

    @Test
    void aPathThatStopsDeliveringDecays() {
        LinkEstimator estimator = new LinkEstimator();
        for (int frame = 0; frame < 60; frame++) {
            estimator.update(new LinkSample(frame * FRAME_NANOS, frame * 4_000L, 0, -1, 0));
        }
        LinkEstimate stalled = null;
        for (int frame = 60; frame < 120; frame++) {
            stalled = estimator.update(new LinkSample(frame * FRAME_NANOS, frame * 4_000L, (frame - 59) * 4_000L, -1,
                    0));
        }
        assertTrue(stalled.deliveryRate() < 100_000, "nothing delivered for two seconds: " + stalled);
    }

    /**
     * The frame thread that samples the path is late once (a long frame, a collection): the bytes the socket took
     * meanwhile, some of them acknowledged already, are first seen at once. Timed from that sample, their round
     * trip read as nothing, the least of the next 30 s, and every queue after it read a round trip too long: a
     * standing 100 ms on an 80 ms path with no queue, which eased the bit rate down by 5 % a second (bench network,
     * HTTP-FLV after the step).
     */
    @Test
    void aLateSampleDoesNotTimeARoundTripShort() {
        LinkEstimator estimator = new LinkEstimator();
        long perNanos = 5_000; // bytes the socket takes each millisecond, 40 Mbit/s: no queue anywhere
        long roundTripMillis = 80;
        LinkEstimate estimate = null;
        long nanos = 0;
        for (int frame = 0; frame < 300; frame++) {
            nanos += frame == 150 ? 200 * 1_000_000L : FRAME_NANOS; // one sample 200 ms late
            long millis = nanos / 1_000_000;
            long taken = millis * perNanos;
            long acknowledged = Math.max(0, millis - roundTripMillis) * perNanos;
            estimate = estimator.update(new LinkSample(nanos, taken, 0, acknowledged, 0));
            if (frame > 150) {
                assertTrue(estimate.queueDelay().toMillis() < 40, "frame " + frame + ": " + estimate);
            }
        }
        assertEquals(roundTripMillis, estimate.roundTrip().toMillis(), 40, "round trip: " + estimate);
    }

    /**
     * Where TCP times the round trips, its queue is the estimate's: finer than the frame steps of the estimator's
     * own timing. Where it stops (the player's count is taken instead), the estimator's own timing takes over.
     */
    @Test
    void theQueueTcpTimesIsTakenWhereItIsGiven() {
        LinkEstimator estimator = new LinkEstimator();
        long perMilli = 150; // 1.2 Mbit/s, no queue in the acknowledgements' timing
        long roundTripMillis = 80;
        LinkEstimate estimate = null;
        for (int frame = 1; frame <= 150; frame++) {
            long nanos = frame * FRAME_NANOS;
            long millis = nanos / 1_000_000;
            long acknowledged = Math.max(0, millis - roundTripMillis) * perMilli;
            boolean byTcp = frame <= 90;
            estimate = estimator.update(new LinkSample(nanos, millis * perMilli, 0, acknowledged,
                    byTcp ? 103_000 : 0, -1, 40, byTcp ? 23_000 : -1));
            if (frame == 90) {
                assertEquals(23, estimate.queueDelay().toMillis(), "TCP's queue: " + estimate);
                assertEquals(103, estimate.roundTrip().toMillis(), "TCP's round trip: " + estimate);
            }
        }
        assertTrue(estimate.queueDelay().toMillis() < 15, "timed from the acknowledgements: " + estimate);
        assertEquals(roundTripMillis, estimate.roundTrip().toMillis(), 40, "round trip: " + estimate);
    }

    @Test
    void unwrapsRtmpsThirtyTwoBitSequenceNumbers() {
        ByteCounter counter = new ByteCounter();
        counter.acknowledged(0xFFFF_0000L);
        counter.acknowledged(0x0000_1000L); // wrapped past 4 GiB
        assertEquals(0xFFFF_0000L + 0x11000L, counter.bytesAcknowledged());
    }
}
