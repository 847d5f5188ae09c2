package io.rendercast.rtmp.server.broadcast;

/**
 * Which rendition of a broadcast one player should play, from its path's queue delay as time goes on: a lower
 * one once its frames queue for longer than {@value #DOWN_MILLIS} ms, the one above again after it stayed
 * without a queue for a while. The path of a player on a lower rendition shows only that it carries that one, so
 * the way back up is a try: the wait before it starts at {@value #FIRST_TRY_SECONDS} s and doubles with each try
 * that ended back down soon after.
 */
final class RenditionChoice {

    /** The next rendition down the ladder: a lower bit rate. */
    static final int LOWER = 1;
    /** The next rendition up the ladder. */
    static final int HIGHER = -1;
    static final int STAY = 0;

    static final long DOWN_MILLIS = 300;
    static final long QUIET_MILLIS = 40;
    /**
     * After a move the path still holds what the rendition before sent: the player stays this long, whatever its
     * queue, so that one slow rendition's queue does not move it two rungs.
     */
    static final long HOLD_MILLIS = 2_000;
    static final long FIRST_TRY_SECONDS = 10;
    private static final int MOST_DOUBLINGS = 4;
    /** A move down this soon after a try up means the try failed. */
    private static final long FAILED_TRY_NANOS = 30_000_000_000L;

    private long movedNanos;
    private boolean moved;
    private long quietSinceNanos = -1;
    private long triedHigherNanos;
    private boolean triedHigher;
    private int failedTries;

    /**
     * The step to take now ({@link #LOWER}, {@link #HIGHER} or {@link #STAY}), given the path's queue delay and
     * whether there is a rendition below and above this player's.
     */
    int choose(long nanos, long queueNanos, boolean lowerExists, boolean higherExists) {
        if (moved && nanos - movedNanos < HOLD_MILLIS * 1_000_000) {
            return STAY;
        }
        if (queueNanos > DOWN_MILLIS * 1_000_000) {
            quietSinceNanos = -1;
            return lowerExists ? LOWER : STAY;
        }
        if (queueNanos >= QUIET_MILLIS * 1_000_000) {
            quietSinceNanos = -1;
            return STAY;
        }
        if (quietSinceNanos < 0) {
            quietSinceNanos = nanos;
        }
        return higherExists && nanos - quietSinceNanos >= waitBeforeTryNanos() ? HIGHER : STAY;
    }

    /** The player moved {@code step} ({@link #LOWER} or {@link #HIGHER}) at {@code nanos}. */
    void moved(long nanos, int step) {
        if (step == LOWER) {
            failedTries = triedHigher && nanos - triedHigherNanos < FAILED_TRY_NANOS
                    ? Math.min(failedTries + 1, MOST_DOUBLINGS) : 0;
            triedHigher = false;
        } else if (step == HIGHER) {
            triedHigher = true;
            triedHigherNanos = nanos;
        }
        moved = true;
        movedNanos = nanos;
        quietSinceNanos = -1;
    }

    /** How long a player stays without a queue before it tries the rendition above. */
    long waitBeforeTryNanos() {
        return (FIRST_TRY_SECONDS * 1_000_000_000L) << failedTries;
    }
}
