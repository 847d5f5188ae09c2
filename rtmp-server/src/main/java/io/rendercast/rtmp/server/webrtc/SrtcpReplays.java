package io.rendercast.rtmp.server.webrtc;

import java.util.HashMap;
import java.util.Map;

/**
 * SRTCP's replay protection (RFC 3711 3.3.2) for what one peer sends: for each SSRC, the highest index taken and a
 * window of the {@value #WINDOW} before it; an index taken already, or older than the window, is a replay. Without
 * it, a packet captured off the path and sent again would ask again for a key frame, or for retransmissions. Checked
 * once a packet's tag is: only the peer makes entries, and at most {@value #MOST_SSRCS} SSRCs of them.
 */
final class SrtcpReplays {

    static final int WINDOW = 64;
    static final int MOST_SSRCS = 16;

    /** Each SSRC's highest index and the window below it (bit i: index highest - i was taken). */
    private final Map<Integer, long[]> bySsrc = new HashMap<>();

    /**
     * Takes {@code index} (31 bits) from {@code ssrc}.
     *
     * @throws IllegalArgumentException for a replay, or an SSRC beyond the most kept
     */
    void take(int ssrc, int index) {
        long[] seen = bySsrc.get(ssrc);
        if (seen == null) {
            if (bySsrc.size() == MOST_SSRCS) {
                throw new IllegalArgumentException("SRTCP from more than " + MOST_SSRCS + " SSRCs");
            }
            bySsrc.put(ssrc, new long[] {index, 1});
            return;
        }
        long ahead = index - seen[0];
        if (ahead > 0) {
            seen[1] = ahead >= WINDOW ? 1 : seen[1] << ahead | 1;
            seen[0] = index;
        } else if (-ahead >= WINDOW || (seen[1] & 1L << -ahead) != 0) {
            throw new IllegalArgumentException("an SRTCP packet replayed, or older than the replay window: index "
                    + index + " of SSRC " + Integer.toUnsignedString(ssrc));
        } else {
            seen[1] |= 1L << -ahead;
        }
    }
}
