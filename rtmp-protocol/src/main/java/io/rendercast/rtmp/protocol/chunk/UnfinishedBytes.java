package io.rendercast.rtmp.protocol.chunk;

import java.util.concurrent.atomic.AtomicLong;

/** The bytes all connections of a server hold in messages not yet whole, and the most they may. */
public final class UnfinishedBytes {

    private final long max;
    private final AtomicLong held = new AtomicLong();

    public UnfinishedBytes(long max) {
        this.max = max;
    }

    /** Counts {@code bytes} more; false, counting nothing, when that would pass the maximum. */
    boolean tryHold(int bytes) {
        while (true) {
            long now = held.get();
            if (now + bytes > max) {
                return false;
            }
            if (held.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void release(int bytes) {
        held.addAndGet(-bytes);
    }

    public long max() {
        return max;
    }

    /** The bytes held now. */
    public long held() {
        return held.get();
    }
}
