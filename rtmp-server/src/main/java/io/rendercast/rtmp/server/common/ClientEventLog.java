package io.rendercast.rtmp.server.common;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Log lines that any client can cause, as often as it likes: a protocol error, a refusal, a timeout. Each kind of
 * line (its format string) may burst to {@value #BURST} lines, then {@value #PER_SECOND} a second, in the whole
 * process; what is held back is counted and told with the next line of its kind that gets through. The kinds
 * are the format strings in this code, so the table stays small whatever clients do.
 */
public final class ClientEventLog {

    static final int BURST = 20;
    static final int PER_SECOND = 5;
    private static final long NANOS_PER_TOKEN = 1_000_000_000L / PER_SECOND;
    private static final ConcurrentMap<String, Bucket> BUCKETS = new ConcurrentHashMap<>();

    private ClientEventLog() {
    }

    /** Logs the line unless its kind has spent its allowance, in which case it is counted. */
    public static void log(System.Logger logger, System.Logger.Level level, String format, Object... args) {
        if (!logger.isLoggable(level)) {
            return;
        }
        long heldBack = BUCKETS.computeIfAbsent(format, f -> new Bucket()).take(System.nanoTime());
        if (heldBack < 0) {
            return;
        }
        if (heldBack == 0) {
            logger.log(level, format, args);
        } else {
            logger.log(level, format + " ({" + args.length + "} more like it held back since the last)",
                    append(args, heldBack));
        }
    }

    private static Object[] append(Object[] args, long value) {
        Object[] all = java.util.Arrays.copyOf(args, args.length + 1);
        all[args.length] = value;
        return all;
    }

    /** A token bucket that also counts the lines it refused. */
    private static final class Bucket {
        private long tokens = BURST;
        private long refilledAt = System.nanoTime();
        private long heldBack;

        /** -1: hold this line back; otherwise log it, with how many were held back before it. */
        synchronized long take(long now) {
            long earned = (now - refilledAt) / NANOS_PER_TOKEN;
            if (earned > 0) {
                tokens = Math.min(BURST, tokens + earned);
                refilledAt += earned * NANOS_PER_TOKEN;
            }
            if (tokens == 0) {
                heldBack++;
                return -1;
            }
            tokens--;
            long told = heldBack;
            heldBack = 0;
            return told;
        }
    }
}
