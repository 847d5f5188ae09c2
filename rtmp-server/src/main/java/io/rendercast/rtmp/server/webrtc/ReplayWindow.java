package io.rendercast.rtmp.server.webrtc;

/**
 * Which numbers of a rising series were taken (RFC 3711 3.3.2's replay list): the highest, and a window of the
 * {@value #WINDOW} before it. A number taken already, or older than the window, is refused. Not thread-safe.
 */
final class ReplayWindow {

    static final int WINDOW = 64;

    private long highest = -1;
    /** Bit i: the number {@code highest - i} was taken. */
    private long taken;

    /** Takes {@code number} (not negative): false where it was taken before, or is older than the window. */
    boolean take(long number) {
        long ahead = number - highest;
        if (highest < 0 || ahead > 0) {
            taken = highest < 0 || ahead >= WINDOW ? 1 : taken << ahead | 1;
            highest = number;
            return true;
        }
        if (-ahead >= WINDOW || (taken & 1L << -ahead) != 0) {
            return false;
        }
        taken |= 1L << -ahead;
        return true;
    }
}
