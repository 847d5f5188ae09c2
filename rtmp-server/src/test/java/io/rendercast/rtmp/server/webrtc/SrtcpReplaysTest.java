package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SRTCP's replay window: each index once, late ones within the window, none older. */
class SrtcpReplaysTest {

    @Test
    void eachIndexIsTakenOnceAndNoneOlderThanTheWindow() {
        SrtcpReplays replays = new SrtcpReplays();
        replays.take(7, 10);
        assertThrows(IllegalArgumentException.class, () -> replays.take(7, 10), "the same index again");
        replays.take(7, 12);
        assertDoesNotThrow(() -> replays.take(7, 11), "one that came late, within the window");
        assertThrows(IllegalArgumentException.class, () -> replays.take(7, 11));
        replays.take(7, 100);
        assertThrows(IllegalArgumentException.class, () -> replays.take(7, 100 - ReplayWindow.WINDOW),
                "older than the window");
        assertDoesNotThrow(() -> replays.take(7, 100 - ReplayWindow.WINDOW + 1));
        assertDoesNotThrow(() -> replays.take(8, 10), "another SSRC counts apart");
        for (int ssrc = 9; ssrc < 9 + SrtcpReplays.MOST_SSRCS - 2; ssrc++) {
            replays.take(ssrc, 0);
        }
        assertThrows(IllegalArgumentException.class, () -> replays.take(1000, 0), "no more SSRCs than the bound");
    }
}
