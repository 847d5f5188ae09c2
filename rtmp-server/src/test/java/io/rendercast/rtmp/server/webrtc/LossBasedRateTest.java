package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The loss-based rate, span by span of the viewer's reports: 100 packets each, every 100 ms. */
class LossBasedRateTest {

    private static long run(LossBasedRate rate, int lostOfHundred, boolean queueGrowing, long delayBased, int spans) {
        long now = 0;
        long last = 0;
        for (int i = 0; i < spans; i++) {
            now += 100;
            last = rate.update(100, lostOfHundred, delayBased, queueGrowing, 100, now);
        }
        return last;
    }

    @Test
    void lossWithNoQueueGrowingLetsTheRateRiseAsLittleLossDoes() {
        LossBasedRate rate = started(1_000_000);
        long risen = run(rate, 5, false, 2_000_000, 30);
        assertTrue(risen > 1_150_000, "5 % loss, no queue: random loss, the rate rises: " + risen);
        assertEquals(0.05, rate.loss(), 1e-9);
    }

    @Test
    void lossWhileTheQueueGrowsHoldsAndHeavyLossCuts() {
        LossBasedRate held = started(1_000_000);
        assertEquals(1_000_000, run(held, 5, true, 2_000_000, 30), "5 % loss while the queue grows: held");
        LossBasedRate cut = started(1_000_000);
        long after = run(cut, 20, false, 2_000_000, 5);
        assertTrue(after <= 900_000, "20 % loss cuts by half of it, once a round trip and 300 ms: " + after);
        LossBasedRate capped = started(1_000_000);
        assertEquals(800_000, run(capped, 0, false, 800_000, 3), "never above the delay-based rate");
    }

    private static LossBasedRate started(long bitsPerSecond) {
        LossBasedRate rate = new LossBasedRate(100_000);
        rate.start(bitsPerSecond);
        return rate;
    }

    /** The loss is measured over spans of 100 packets. */
    @Test
    void theLossIsMeasuredSpanBySpan() {
        LossBasedRate notStarted = new LossBasedRate(100_000);
        assertTrue(!notStarted.count(50, 1, 0), "half a span");
        assertTrue(notStarted.count(50, 2, 100), "a span of 100 packets ends");
        assertEquals(0.03, notStarted.loss(), 1e-9);
    }
}
