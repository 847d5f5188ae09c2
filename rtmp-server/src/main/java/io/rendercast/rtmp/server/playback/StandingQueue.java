package io.rendercast.rtmp.server.playback;

import java.util.ArrayDeque;

/**
 * The standing queue on a player's path: the least queue delay seen over a window, so that a burst (a key
 * frame, a frame larger than the rest) is not taken for congestion. A frame at a time, on the frame thread.
 */
final class StandingQueue {

    private record Reading(long nanos, long queueNanos) {
    }

    private final ArrayDeque<Reading> recent = new ArrayDeque<>();
    private final long windowNanos;

    StandingQueue(long windowNanos) {
        this.windowNanos = windowNanos;
    }

    /** Takes the queue delay read at {@code nanos}; returns the standing queue, 0 until half a window was seen. */
    long update(long nanos, long queueNanos) {
        recent.addLast(new Reading(nanos, queueNanos));
        while (nanos - recent.peekFirst().nanos() > windowNanos) {
            recent.pollFirst();
        }
        if (nanos - recent.peekFirst().nanos() < windowNanos / 2) {
            return 0;
        }
        long least = Long.MAX_VALUE;
        for (Reading r : recent) {
            least = Math.min(least, r.queueNanos());
        }
        return least;
    }
}
