package io.rendercast.rtmp.server;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Logs at most once per interval, for events any client can cause many times over. */
final class RateLimitedLog {

    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(System.nanoTime());

    RateLimitedLog(Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    void log(Runnable logLine) {
        long now = System.nanoTime();
        long due = next.get();
        if (now - due >= 0 && next.compareAndSet(due, now + intervalNanos)) {
            logLine.run();
        }
    }
}
