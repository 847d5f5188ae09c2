package io.rendercast.rtmp.server.webrtc;

/**
 * The loss-based half of Google Congestion Control's rate (libwebrtc's classic {@code SendSideBandwidthEstimation},
 * as Pion's controller also has it): over each span of the viewer's reports, a loss of up to 2 % lets the rate rise
 * 8 % over the least it was in the last second; above 10 % it comes down by half the loss, at most once a round trip
 * and 300 ms; between, it holds while the delay-based detector reads the path's queue as growing, and rises as under
 * 2 % while it does not: loss with no queue is the path's own (Wi-Fi, a lossy hop), mended by retransmission, not by
 * a lower rate. libwebrtc's hold kept a 1.5 Mbit/s path losing 5 % at random at 0.38 Mbit/s in the network bench,
 * where each overflow of the router's queue cut the rate and nothing raised it. A span is {@value #LEAST_PACKETS} packets, or a second of at least
 * {@value #LEAST_PACKETS_A_SECOND}: libwebrtc's 20 packets read 5 % of random loss as more than 10 % one time in 13,
 * and in the network bench brought a 1.5 Mbit/s path losing 5 % down to 0.19 Mbit/s. Never above the delay-based
 * rate. Times in milliseconds; rates in bits a second. Not thread-safe.
 */
final class LossBasedRate {

    static final int LEAST_PACKETS = 100;
    static final int LEAST_PACKETS_A_SECOND = 20;
    private static final double SPAN_MILLIS = 1000;
    static final double LOW_LOSS = 0.02;
    static final double HIGH_LOSS = 0.10;
    private static final double INCREASE = 1.08;
    private static final double DECREASE_INTERVAL_MILLIS = 300;
    private static final double HISTORY_MILLIS = 1000;

    private final long least;
    private double rate;
    private int expected;
    private int lost;
    private double lastLoss;
    private double spanStartMillis = Double.NaN;
    private double lastDecreaseMillis = Double.NEGATIVE_INFINITY;
    /** The rates of the last second, to rise from the least of them: [time, rate] pairs, oldest first. */
    private final java.util.ArrayDeque<double[]> history = new java.util.ArrayDeque<>();

    /** Its controller counts reports here from {@link #start} on, when the rate starts. */
    LossBasedRate(long leastBitsPerSecond) {
        this.least = leastBitsPerSecond;
    }

    /** The rate starts here, once the viewer's encoder asks for one. */
    void start(long startBitsPerSecond) {
        this.rate = startBitsPerSecond;
    }

    /**
     * Counts a report on {@code reported} packets, of which {@code missing} did not arrive, toward the loss; returns
     * whether it ended a span, and {@link #loss} is new.
     */
    boolean count(int reported, int missing, double nowMillis) {
        expected += reported;
        lost += missing;
        if (Double.isNaN(spanStartMillis)) {
            spanStartMillis = nowMillis;
        }
        if (expected >= LEAST_PACKETS
                || expected >= LEAST_PACKETS_A_SECOND && nowMillis - spanStartMillis >= SPAN_MILLIS) {
            spanStartMillis = nowMillis;
            lastLoss = lost / (double) expected;
            expected = 0;
            lost = 0;
            return true;
        }
        return false;
    }

    /** The share of packets lost over the last span reported on. */
    double loss() {
        return lastLoss;
    }

    /**
     * A probe raised the delay-based rate to {@code bitsPerSecond}: where the path loses little, this rate goes
     * there too, as libwebrtc sets its loss-based estimate to a probe's, rather than climbing 8 % a span to it.
     */
    void probed(long bitsPerSecond) {
        if (lastLoss <= LOW_LOSS && bitsPerSecond > rate) {
            rate = bitsPerSecond;
            history.clear();
        }
    }

    /**
     * The viewer reported on {@code reported} packets, of which {@code missing} did not arrive; returns the rate
     * now, no higher than {@code delayBased}. {@code queueGrowing}: the delay-based detector reads the path as
     * overused.
     */
    long update(int reported, int missing, long delayBased, boolean queueGrowing, double roundTripMillis,
                double nowMillis) {
        if (count(reported, missing, nowMillis)) {
            if (lastLoss <= LOW_LOSS || lastLoss <= HIGH_LOSS && !queueGrowing) {
                rate = leastOfLastSecond() * INCREASE + 1000;
            } else if (lastLoss > HIGH_LOSS && nowMillis - lastDecreaseMillis >= DECREASE_INTERVAL_MILLIS
                    + roundTripMillis) {
                lastDecreaseMillis = nowMillis;
                rate = rate * (1 - lastLoss / 2);
            }
        }
        rate = Math.max(least, Math.min(rate, delayBased));
        history.addLast(new double[] {nowMillis, rate});
        while (history.size() > 1 && nowMillis - history.peekFirst()[0] > HISTORY_MILLIS) {
            history.pollFirst();
        }
        return (long) rate;
    }

    private double leastOfLastSecond() {
        double leastRate = rate;
        for (double[] entry : history) {
            leastRate = Math.min(leastRate, entry[1]);
        }
        return leastRate;
    }
}
