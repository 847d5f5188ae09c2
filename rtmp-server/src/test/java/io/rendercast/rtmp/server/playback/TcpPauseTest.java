package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.server.transport.LinkSample;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TcpPauseTest {

    private static final long MS = 1_000_000;

    @Test
    void aWindowThatFallsToTheLeastIsAPauseForAMomentOnly() {
        TcpPause pause = new TcpPause();
        assertFalse(pause.update(1000 * MS, 84));
        assertTrue(pause.update(1200 * MS, LinkSample.LEAST_WINDOW));
        assertTrue(pause.update(1700 * MS, LinkSample.LEAST_WINDOW));
        assertFalse(pause.update(1200 * MS + TcpPause.LONGEST_MILLIS * MS, LinkSample.LEAST_WINDOW),
                "longer than ProbeRTT takes");
        assertFalse(pause.update(2000 * MS, 84));
        assertTrue(pause.update(2100 * MS, 1), "a timeout's restart");
    }

    @Test
    void aWindowThatStaysSmallIsAShortPathNotAPause() {
        TcpPause pause = new TcpPause();
        assertFalse(pause.update(0, LinkSample.LEAST_WINDOW));
        assertFalse(pause.update(100 * MS, 6));
        assertFalse(pause.update(200 * MS, LinkSample.LEAST_WINDOW));
        pause.update(1000 * MS, 84);
        assertFalse(pause.update(2500 * MS, LinkSample.LEAST_WINDOW), "well above it, but not of late");
        assertFalse(pause.update(3000 * MS, -1), "not known");
    }
}
