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
     * An overuse read while nothing arrived to measure the path by (the server sent nothing for the whole span) says
     * nothing of how far to cut: the rate holds, where 0 would have cut it to the least at once.
     */
    @Test
    void anOveruseWithNothingMeasuredHoldsTheRate() {
        AimdRateControl control = new AimdRateControl(2_500_000, 100_000);
        assertEquals(2_500_000, control.update(TrendlineDetector.Usage.OVERUSING, 0, 0, 1000));
    }

    /** A climb does not delay the first cut; a cut delays the next by a round trip, for its effect to show. */
    @Test
    void theFirstCutComesAtOnceAndTheNextARoundTripLater() {
        AimdRateControl control = new AimdRateControl(2_500_000, 100_000);
        control.roundTrip(150);
        for (int t = 0; t <= 1000; t += 50) {
            control.update(TrendlineDetector.Usage.NORMAL, 1_500_000, 1_500_000, t);
        }
        assertTrue(control.dueForDecrease(1010, 1_500_000), "the first overuse after a climb cuts at once");
        control.update(TrendlineDetector.Usage.OVERUSING, 1_500_000, 1_500_000, 1010);
        assertFalse(control.dueForDecrease(1100, 1_500_000), "not again before a round trip has passed");
        assertTrue(control.dueForDecrease(1160, 1_500_000), "again a round trip after the cut");
    }
}
