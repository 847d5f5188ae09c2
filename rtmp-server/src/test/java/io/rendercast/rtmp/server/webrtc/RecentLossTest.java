package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The loss FEC goes by, against the loss-based rate's span of 100 packets, on a path that loses 1 % at random. */
class RecentLossTest {

    private static final int REPORT = 10;

    @Test
    void onePercentAtRandomKeepsFecOnWhereTheRatesSpanTurnedItOff() {
        SplittableRandom random = new SplittableRandom(7);
        RecentLoss recent = new RecentLoss();
        LossBasedRate spans = new LossBasedRate(100_000);
        int reports = 0;
        int offRecent = 0;
        int offSpan = 0;
        for (int i = 0; i < 30_000; i++) {
            int missing = 0;
            for (int p = 0; p < REPORT; p++) {
                missing += random.nextDouble() < 0.01 ? 1 : 0;
            }
            recent.count(REPORT, missing, i * 40.0); // 250 packets a second
            spans.count(REPORT, missing, i * 40.0);
            if (i >= 200) { // past the first 2,000 packets
                reports++;
                offRecent += FlexFec.protects(recent.share(), false) ? 0 : 1;
                offSpan += FlexFec.protects(spans.loss(), false) ? 0 : 1;
            }
        }
        double recentOff = offRecent / (double) reports;
        double spanOff = offSpan / (double) reports;
        assertTrue(recentOff < 0.06, "FEC off for " + recentOff + " of frames at 1 % loss");
        // What the span rule did: off after every span that lost none (0.99^100 of them)
        assertTrue(spanOff > 0.25, "the span of 100 turned FEC off for " + spanOff);
        assertEquals(0.01, recent.share(), 0.007);
    }

    @Test
    void aPathThatStopsLosingReadsNoneOnceItsPacketsAreOutOfTheWindow() {
        RecentLoss recent = new RecentLoss();
        double now = 0;
        for (int i = 0; i < 100; i++) {
            recent.count(REPORT, i % 2, now += 40); // 5 %
        }
        assertEquals(0.05, recent.share(), 1e-9);
        for (int i = 0; i < 50; i++) {
            recent.count(REPORT, 0, now += 40);
        }
        assertTrue(recent.share() > 0.02, "half the window still holds the loss: " + recent.share());
        for (int i = 0; i < RecentLoss.PACKETS / REPORT; i++) {
            recent.count(REPORT, 0, now += 40);
        }
        assertEquals(0, recent.share(), "1,000 packets with no loss");
    }

    /** A slow stream's one burst is forgotten after 6 s, not 1,000 packets later; the first few packets read none. */
    @Test
    void aBurstOnASlowStreamIsForgottenInSecondsAndAFewPacketsAreNoMeasure() {
        RecentLoss recent = new RecentLoss();
        assertEquals(0, recent.share(), "no report yet");
        recent.count(20, 1, 0);
        assertEquals(0, recent.share(), "1 of the first 20 lost is no measure");
        double now = 0;
        recent.count(REPORT, 5, now += 100); // a burst, then 30 packets a second with no loss
        for (int i = 0; i < 30; i++) {
            recent.count(3, 0, now += 100);
        }
        assertTrue(recent.share() > 0.04, "just after the burst: " + recent.share());
        for (int i = 0; i < 70; i++) {
            recent.count(3, 0, now += 100);
        }
        assertEquals(0, recent.share(), "10 s on, 300 packets later");
    }
}
