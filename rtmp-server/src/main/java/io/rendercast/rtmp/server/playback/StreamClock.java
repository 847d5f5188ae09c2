package io.rendercast.rtmp.server.playback;

/**
 * A stream's clock: the wall-clock time its players are told stands for timestamp 0 ({@code onMetaData}'s
 * {@code rendercastClockEpochMillis}, WebRTC's absolute capture time), and the same instant on
 * {@link System#nanoTime}'s clock, from which its render loop ticks. Read as one pair, so that a frame's epoch plus
 * its stamp is when it was rendered.
 */
public record StreamClock(long epochMillis, long zeroNanos) {

    private static final long CLOSE_NANOS = 200_000;

    /**
     * Now on both clocks: the wall clock read between two reads of {@code nanoTime} that are close together, the
     * instant taken as their midpoint (a thread paused between two reads would put them that far apart).
     */
    public static StreamClock now() {
        long before;
        long wall;
        long after;
        int tries = 0;
        do {
            before = System.nanoTime();
            wall = System.currentTimeMillis();
            after = System.nanoTime();
        } while (after - before > CLOSE_NANOS && ++tries < 5);
        return new StreamClock(wall, before + (after - before) / 2);
    }
}
