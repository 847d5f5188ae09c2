package io.rendercast.rtmp.server.playback;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * What a player's path carries at most, as last measured while it queued. A frame at a time, on the frame thread.
 *
 * <p>The best measure is TCP's own: the rate its acknowledgements came at while it had more to send than the path
 * took (the kernel's delivery rate, not limited by the application), which holds even while TCP recovers from the
 * losses a sudden drop brings. Where the kernel does not say, it is the rate the player received over the last
 * second, which those losses make read low for a second or two; a path seldom loses more than a tenth of its
 * capacity within seconds but for such a drop, so a recent measure bounds it from below.
 *
 * <p>A measure is forgotten after {@value #KEPT_SECONDS} s, or once the player received more than it for two
 * seconds without a queue: the path has more now, to be found anew.
 */
final class PathCapacity {

    static final long KEPT_SECONDS = 20;
    private static final long KEPT_NANOS = KEPT_SECONDS * 1_000_000_000L;
    private static final long RECENT_NANOS = 10_000_000_000L;
    private static final long TCP_RATE_NANOS = 1_000_000_000L;
    private static final long CARRIED_NANOS = 2_000_000_000L;
    /** A rate this much above a measure is more than the path carried then, not the measure's own noise. */
    private static final double ABOVE = 1.02;
    private static final double CLEARLY_ABOVE = 1.10;

    /** A rate at a moment. */
    private record Rate(long nanos, long bitsPerSecond) {
    }

    /** TCP's rates over the last second, a reading a frame at most. */
    private final ArrayDeque<Rate> tcpRates = new ArrayDeque<>();
    /** The rates the player received over the last two seconds without a queue. */
    private final ArrayDeque<Rate> carried = new ArrayDeque<>();
    private long bitsPerSecond;
    private long measuredNanos;
    /** The last measure, kept past {@value #KEPT_SECONDS} s until the player receives more; 0: none. */
    private long lastMeasured;

    /** TCP's rate read at {@code nanos}, or -1 where it has none. */
    void noteTcpRate(long nanos, long pathRate) {
        if (pathRate > 0) {
            tcpRates.addLast(new Rate(nanos, pathRate));
        }
        while (!tcpRates.isEmpty() && nanos - tcpRates.peekFirst().nanos() > TCP_RATE_NANOS) {
            tcpRates.pollFirst();
        }
    }

    /**
     * TCP's rate over the last second, the median of its readings; 0 when it had none. Not the highest: as TCP
     * drains a queue its readings overshoot the path ({@code ss} on bench network's 1.5 Mbit/s path: 1.5 to 1.66 Mbit/s
     * for a few hundred ms after the step, then 1.42 to 1.45), and a capacity taken from them held HTTP-FLV's rate
     * at 1.46 to 1.56 Mbit/s, where the path's queue grew until a cut.
     */
    long tcpRate() {
        if (tcpRates.isEmpty()) {
            return 0;
        }
        long[] rates = new long[tcpRates.size()];
        int i = 0;
        for (Rate r : tcpRates) {
            rates[i++] = r.bitsPerSecond();
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    /** The path queues so that the rate must come down: measures it, from TCP or from what the player received. */
    void measureAtCut(long nanos, long deliveryRate) {
        long tcp = tcpRate();
        long recent = bitsPerSecond > 0 && nanos - measuredNanos < RECENT_NANOS ? (long) (bitsPerSecond * 0.9) : 0;
        set(nanos, tcp > 0 ? tcp : Math.max(deliveryRate, recent));
    }

    /** A shorter queue stands: the path is what limits, and TCP's measure of it, if any, is the capacity. */
    void measureWhileQueued(long nanos) {
        carried.clear();
        long tcp = tcpRate();
        if (tcp > 0) {
            set(nanos, tcp);
        }
    }

    /**
     * No queue: the player received {@code deliveryRate}. Returns whether the measure was forgotten now as less
     * than the path carries; one forgotten as too old says nothing of the path, and returns false.
     */
    boolean noQueue(long nanos, long deliveryRate) {
        carried.addLast(new Rate(nanos, deliveryRate));
        while (nanos - carried.peekFirst().nanos() > CARRIED_NANOS) {
            carried.pollFirst();
        }
        if (bitsPerSecond == 0) {
            return false;
        }
        if (carriedMore(nanos)) {
            forget();
            return true;
        }
        if (nanos - measuredNanos > KEPT_NANOS) {
            bitsPerSecond = 0;
        }
        return false;
    }

    private boolean carriedMore(long nanos) {
        if (nanos - carried.peekFirst().nanos() < CARRIED_NANOS * 3 / 4) {
            return false;
        }
        for (Rate r : carried) {
            if (r.bitsPerSecond() <= bitsPerSecond * ABOVE) {
                return false;
            }
        }
        return true;
    }

    /** The capacity in bits a second, 0 when not known. */
    long value() {
        return bitsPerSecond;
    }

    /**
     * Whether the player receives clearly more than the path was last measured to carry, however long ago (a measure
     * too old to steer by still says where the path queued), by more than {@value #CLEARLY_ABOVE}; true if it never
     * was measured. Right after a sudden drop the measure reads a few % low (bench network's step: 1.36 to 1.40
     * Mbit/s, where the path carries 1.44), and a rate just above it says nothing of room to spare.
     */
    boolean clearlyBeyondLastMeasure(long deliveryRate) {
        return lastMeasured == 0 || deliveryRate > lastMeasured * CLEARLY_ABOVE;
    }

    void forget() {
        bitsPerSecond = 0;
        lastMeasured = 0;
    }

    private void set(long nanos, long value) {
        bitsPerSecond = value;
        lastMeasured = value;
        measuredNanos = nanos;
    }
}
