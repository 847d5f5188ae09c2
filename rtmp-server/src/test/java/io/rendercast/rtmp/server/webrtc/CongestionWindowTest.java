package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Frames go while what is on the way fits the window; past it, only one now and then, once feedback has stalled. */
class CongestionWindowTest {

    private static final long MS = 1_000_000L;

    @Test
    void shutPastTheWindowAndProbingOnlyOnceFeedbackStalls() {
        CongestionWindow window = new CongestionWindow();
        long now = 10_000 * MS;
        assertTrue(window.admits(40_000, 50_000, now - 50 * MS, now), "within the window");
        assertFalse(window.admits(60_000, 50_000, now - 50 * MS, now), "past it, with feedback flowing: skipped");
        long stalled = now - 600 * MS;
        assertTrue(window.admits(60_000, 50_000, stalled, now), "no feedback for 600 ms: one frame to draw some");
        assertFalse(window.admits(60_000, 50_000, stalled, now + 100 * MS), "and not the next 100 ms later");
        assertTrue(window.admits(60_000, 50_000, stalled, now + 501 * MS), "but again half a second on");
    }
}
