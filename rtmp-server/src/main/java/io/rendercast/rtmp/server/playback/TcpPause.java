package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.server.transport.LinkSample;

/**
 * Whether a player's TCP holds itself back for a moment: its window fell to the least
 * ({@value LinkSample#LEAST_WINDOW} packets) from well above it. BBR does so for 200 ms and a round trip when ten
 * seconds passed without a round trip at its least (ProbeRTT), which a stream that nearly fills its path never
 * lets happen, since its own frames keep a packet or two in the router's queue; any TCP does after a timeout. The
 * path did not change, so neither should the bit rate. A window that stays that small is a path too short to need
 * more, not a pause.
 */
final class TcpPause {

    /** ProbeRTT's 200 ms and a round trip; a longer one is not a pause. */
    static final long LONGEST_MILLIS = 600;
    /** The window was this far above the least within a second before it fell. */
    private static final int WIDE = 2 * LinkSample.LEAST_WINDOW;
    private static final long WIDE_NANOS = 1_000_000_000L;

    private long wideNanos = Long.MIN_VALUE / 2;
    /** When the window fell to the least; 0: it has not. */
    private long fellNanos;

    /** TCP's window ({@code window} packets, -1 where not known) at {@code nanos}: whether TCP holds back now. */
    boolean update(long nanos, long window) {
        if (window < 0 || window > LinkSample.LEAST_WINDOW) {
            if (window > WIDE) {
                wideNanos = nanos;
            }
            fellNanos = 0;
            return false;
        }
        if (fellNanos == 0) {
            if (nanos - wideNanos > WIDE_NANOS) {
                return false;
            }
            fellNanos = nanos;
        }
        return nanos - fellNanos < LONGEST_MILLIS * 1_000_000;
    }
}
