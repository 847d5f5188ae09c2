package io.rendercast.rtmp.server.session;

import java.util.concurrent.atomic.AtomicInteger;

/** Server-wide counts with a ceiling: connections open and streams playing. */
public final class ServerLimits {

    private final Slots connections;
    private final Slots playingStreams;

    public ServerLimits(int maxConnections, int maxPlayingStreams) {
        this.connections = new Slots(maxConnections);
        this.playingStreams = new Slots(maxPlayingStreams);
    }

    public Slots connections() {
        return connections;
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
