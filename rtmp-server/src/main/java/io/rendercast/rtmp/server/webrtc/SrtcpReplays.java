package io.rendercast.rtmp.server.webrtc;

import java.util.HashMap;
import java.util.Map;

/**
 * SRTCP's replay protection (RFC 3711 3.3.2) for what one peer sends: for each SSRC, a {@link ReplayWindow} of its
 * indexes; an index taken already, or older than the window, is a replay. Without
 * it, a packet captured off the path and sent again would ask again for a key frame, or for retransmissions. Checked
 * once a packet's tag is: only the peer makes entries, and at most {@value #MOST_SSRCS} SSRCs of them.
 */
final class SrtcpReplays {

    static final int MOST_SSRCS = 16;

    private final Map<Integer, ReplayWindow> bySsrc = new HashMap<>();

    /**
     * Takes {@code index} (31 bits) from {@code ssrc}.
     *
     * @throws IllegalArgumentException for a replay, or an SSRC beyond the most kept
     */
    void take(int ssrc, int index) {
        ReplayWindow seen = bySsrc.get(ssrc);
        if (seen == null) {
            if (bySsrc.size() == MOST_SSRCS) {
                throw new IllegalArgumentException("SRTCP from more than " + MOST_SSRCS + " SSRCs");
            }
            seen = new ReplayWindow();
            bySsrc.put(ssrc, seen);
        }
        if (!seen.take(index)) {
            throw new IllegalArgumentException("an SRTCP packet replayed, or older than the replay window: index "
                    + index + " of SSRC " + Integer.toUnsignedString(ssrc));
        }
    }
}
