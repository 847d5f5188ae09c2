package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
