package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What a probe shows the path carries, from when its packets left and arrived. */
class ProbeClusterTest {

    private static final int PACKET = 1_250;

    /** Five packets of 1,250 bytes sent {@code sentEveryMicros} apart, arriving {@code arrivingEveryMicros} apart. */
    private static ProbeCluster probe(long sentEveryMicros, long arrivingEveryMicros, int lost) {
        ProbeCluster probe = new ProbeCluster(5);
        for (int i = 0; i < 5; i++) {
            boolean arrived = i >= lost;
            probe.reported(new CongestionController.Fate(i * sentEveryMicros * 1000,
                    arrived ? 50_000 + i * arrivingEveryMicros : -1, PACKET, true));
        }
        return probe;
    }

    /** Sent at 5 Mbit/s (2 ms apart) and arriving so: the path carries the 5 Mbit/s sent. */
    @Test
    void aPathThatKeepsUpCarriesTheRateSent() {
        ProbeCluster probe = probe(2_000, 2_000, 0);
        assertTrue(probe.complete());
        assertEquals(5_000_000, probe.bitsPerSecond());
    }

    /** Sent at 5 Mbit/s, arriving at 2 (5 ms apart): the bottleneck spaced them, 0.95 of what arrived. */
    @Test
    void aBottleneckShowsInTheirSpacing() {
        assertEquals(1_900_000, probe(2_000, 5_000, 0).bitsPerSecond());
    }

    /** Arriving a little faster than sent (a queue ahead of them drained): no more than the rate sent. */
    @Test
    void noMoreThanTheRateSent() {
        assertEquals(5_000_000, probe(2_000, 1_900, 0).bitsPerSecond());
    }

    /**
     * Sent at 5 Mbit/s, arriving over four times as fast (0.5 ms apart: the receiver took them in a bunch): no
     * measure of the path, where the less of the two rates would have read the whole rate sent.
     */
    @Test
    void arrivalsBunchedByTheReceiverTellNothing() {
        assertEquals(-1, probe(2_000, 500, 0).bitsPerSecond());
        assertEquals(5_000_000, probe(2_000, 1_000, 0).bitsPerSecond(), "twice as fast: the rate sent");
    }

    /** Two of five lost: under 80 % arrived, and it tells nothing. */
    @Test
    void tooFewArrivedTellsNothing() {
        ProbeCluster probe = probe(2_000, 2_000, 2);
        assertTrue(probe.complete());
        assertEquals(-1, probe.bitsPerSecond());
        assertEquals(5_000_000, probe(2_000, 2_000, 1).bitsPerSecond(), "four of five: enough");
    }

    @Test
    void notCompleteUntilEveryPacketsFateIsKnown() {
        ProbeCluster probe = new ProbeCluster(5);
        probe.reported(new CongestionController.Fate(0, 1_000, PACKET, true));
        assertFalse(probe.complete());
        assertEquals(-1, probe.bitsPerSecond(), "one packet: no span");
    }
}
