package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AimdRateControlTest {

    @Test
    void anOveruseCutsToAShareOfWhatThePathCarriedNotOfWhatArrived() {
        AimdRateControl control = new AimdRateControl(2_500_000, 100_000);
        long rate = control.update(TrendlineDetector.Usage.OVERUSING, 1_000_000, 1_500_000, 1000);
        assertEquals((long) (AimdRateControl.BETA * 1_500_000), rate);
    }

    /**
     * An overuse read while too little arrived to measure the path by (the server sent nearly nothing for the whole
     * span) says nothing of how far to cut: the rate holds, where 0 would have cut it to the least at once, and the
     * climb goes on from it once the path reads normal again.
     */
    @Test
    void anOveruseWithNothingMeasuredHoldsTheRate() {
        AimdRateControl control = new AimdRateControl(2_500_000, 100_000);
        control.update(TrendlineDetector.Usage.OVERUSING, 2_000_000, 2_000_000, 0); // to 1.7 Mbit/s
        long cut = control.bitsPerSecond();
        assertEquals(cut, control.update(TrendlineDetector.Usage.OVERUSING, 300_000, 0, 300));
        control.update(TrendlineDetector.Usage.NORMAL, 1_700_000, 1_700_000, 400);
        assertTrue(control.update(TrendlineDetector.Usage.NORMAL, 1_700_000, 1_700_000, 1400) > cut,
                "climbs from the rate held");
    }

    /** A climb does not delay the first cut; a cut delays the next by a round trip, for its effect to show. */
    @Test
    void theFirstCutComesAtOnceAndTheNextARoundTripLater() {
        AimdRateControl control = new AimdRateControl(2_500_000, 100_000);
        control.roundTrip(150);
        control.update(TrendlineDetector.Usage.OVERUSING, 1_200_000, 1_200_000, 0);
        long cut = control.bitsPerSecond();
        for (int t = 100; t <= 2000; t += 50) {
            control.update(TrendlineDetector.Usage.NORMAL, 1_200_000, 1_200_000, t);
        }
        assertTrue(control.bitsPerSecond() > cut, "climbed after the cut");
        assertTrue(control.dueForDecrease(2010, 1_200_000), "the first overuse after a climb cuts at once");
        control.update(TrendlineDetector.Usage.OVERUSING, 1_200_000, 1_200_000, 2010);
        assertFalse(control.dueForDecrease(2100, 1_200_000), "not again before a round trip has passed");
        assertTrue(control.dueForDecrease(2160, 1_200_000), "again a round trip after the cut");
    }

    /** An overuse whose cut would not lower the rate leaves the next cut free to come at once. */
    @Test
    void aCutThatLowersNothingDoesNotHoldOffTheNext() {
        AimdRateControl control = new AimdRateControl(1_000_000, 100_000);
        control.roundTrip(150);
        control.update(TrendlineDetector.Usage.OVERUSING, 1_500_000, 1_500_000, 0); // 0.85 of 1.5 is above 1.0
        assertEquals(1_000_000, control.bitsPerSecond());
        assertTrue(control.dueForDecrease(50, 1_000_000));
    }

    /**
     * Near the capacity the path showed at its overuses, the rate climbs past the least of it (its lower bound) only
     * while the encoder fills the rate: short of its rate, the encoder proves nothing of the path, and the rate it
     * would have reached is what its next hard frames are sent at.
     */
    @Test
    void pastThePathsCapacityTheRateClimbsOnlyWhileTheViewerReceivesNearlyAllOfIt() {
        AimdRateControl control = new AimdRateControl(2_500_000, 100_000);
        control.roundTrip(100);
        control.update(TrendlineDetector.Usage.OVERUSING, 1_500_000, 1_500_000, 0); // capacity 1.5 Mbit/s
        int t = 0;
        for (t = 50; t <= 25_000; t += 50) {
            control.update(TrendlineDetector.Usage.NORMAL, 1_200_000, 1_200_000, t);
        }
        // 1.5 Mbit/s less three deviations of 0.4 kbit/s normalised: 3 * sqrt(0.4 * 1500) = 73.5 kbit/s
        assertEquals(1_426_515, control.bitsPerSecond(), 1_000, "up to the least the path is thought to carry, "
                + "and there held");
        assertEquals(1_500_000, control.capacityBitsPerSecond(t), 1,
                "the capacity the rate stands on is kept past 20 s without an overuse");
        for (int until = t + 5_000; t <= until; t += 50) {
            long rate = control.bitsPerSecond();
            control.update(TrendlineDetector.Usage.NORMAL, rate, rate, t);
        }
        assertTrue(control.bitsPerSecond() > 1_600_000, "climbs on once the encoder fills the rate: "
                + control.bitsPerSecond());
    }
}
