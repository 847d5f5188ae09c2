package io.rendercast.rtmp.server.playback;

import java.util.ArrayDeque;

/** The rate a player's stream was written at over the last second: what the encoder made, whatever the path took. */
final class WrittenRate {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private record Mark(long nanos, long bytes) {
    }

    private final ArrayDeque<Mark> marks = new ArrayDeque<>();

    /** {@code bytes} written in all by {@code nanos}. */
    void update(long nanos, long bytes) {
        marks.addLast(new Mark(nanos, bytes));
        while (marks.size() > 2 && nanos - marks.peekFirst().nanos() > WINDOW_NANOS) {
            marks.pollFirst();
        }
    }

    /** Bits a second; 0 until two marks are apart. */
    long value() {
        if (marks.size() < 2 || marks.peekLast().nanos() == marks.peekFirst().nanos()) {
            return 0;
        }
        return (long) ((marks.peekLast().bytes() - marks.peekFirst().bytes()) * 8e9
                / (marks.peekLast().nanos() - marks.peekFirst().nanos()));
    }
}
