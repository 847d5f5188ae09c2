package io.rendercast.rtmp.server.connection;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pings sent to one client and the round-trip time their answers show. Used on the network thread only;
 * the round-trip time may be read from any.
 */
public final class PingTracker {

    private final long startNanos = System.nanoTime();
    /** Pings not yet answered, by the timestamp they carry; a few at most, since the oldest are dropped. */
    private final Map<Integer, Long> inFlight = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > 8;
        }
    };
    private volatile long roundTripNanos;

    /** A ping goes out now: returns the timestamp it carries, and remembers when it left. */
    public int sent() {
        long now = System.nanoTime();
        int timestamp = (int) ((now - startNanos) / 1_000_000);
        inFlight.put(timestamp, now);
        return timestamp;
    }

    /** The client echoed a ping's timestamp. */
    public void answered(int timestamp) {
        Long sentNanos = inFlight.remove(timestamp);
        if (sentNanos != null) {
            roundTripNanos = System.nanoTime() - sentNanos;
        }
    }

    /** The last answered ping's round trip, 0 before one was answered. */
    long roundTripNanos() {
        return roundTripNanos;
    }
}
