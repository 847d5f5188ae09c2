package io.rendercast.rtmp.server.common;

import java.util.concurrent.atomic.AtomicInteger;

/** Server-wide counts with a ceiling: connections open and streams playing. */
public final class ServerLimits {

    /** Connections past the limit that are still told why, at most, before the rest are closed unanswered. */
    private static final int MAX_REFUSING = 64;

    private final Slots connections;
    private final Slots refusing = new Slots(MAX_REFUSING);
    private final Slots playingStreams;

    public ServerLimits(int maxConnections, int maxPlayingStreams) {
        this.connections = new Slots(maxConnections);
        this.playingStreams = new Slots(maxPlayingStreams);
    }

    public Slots connections() {
        return connections;
    }

    /**
     * Connections past {@link #connections()}'s limit that are let through the handshake only to be refused
     * with a reason at {@code connect}; a few at a time, so that a storm costs little.
     */
    public Slots refusing() {
        return refusing;
    }

    public Slots playingStreams() {
        return playingStreams;
    }

    /** A count that may not pass its maximum. */
    public static final class Slots {
        private final int max;
        private final AtomicInteger used = new AtomicInteger();

        Slots(int max) {
            this.max = max;
        }

        /** Takes a slot; false when all {@link #max()} are taken. */
        public boolean tryAcquire() {
            while (true) {
                int now = used.get();
                if (now >= max) {
                    return false;
                }
                if (used.compareAndSet(now, now + 1)) {
                    return true;
                }
            }
        }

        public void release() {
            used.decrementAndGet();
        }

        public int max() {
            return max;
        }

        public int used() {
            return used.get();
        }
    }
}
