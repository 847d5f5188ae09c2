package io.rendercast.rtmp.server.webrtc;

/**
 * Whether the path's queues grow, from the delays {@link InterArrival} measures (libwebrtc's
 * {@code TrendlineEstimator}): the delays are summed, smoothed, and a line is fitted through the last
 * {@value #WINDOW} of them against arrival time. Its slope, scaled, is compared with a threshold that adapts to
 * what the path shows, so that the detector keeps up with a competing TCP flow instead of yielding to it: above
 * the threshold for {@value #OVERUSING_MILLIS} ms and rising, the path is overused; below its negative, underused
 * (a queue draining). Not thread-safe.
 */
final class TrendlineDetector {

    /** What the path's queues do. */
    enum Usage { NORMAL, OVERUSING, UNDERUSING }

    static final int WINDOW = 20;
    private static final double SMOOTHING = 0.9;
    private static final double THRESHOLD_GAIN = 4;
    private static final int MOST_DELTAS_COUNTED = 60;
    private static final double OVERUSING_MILLIS = 10;
    /** A trend this far past the threshold is a spike, not a level to adapt to. */
    private static final double MOST_ADAPT_OFFSET = 15;
    private static final double THRESHOLD_UP = 0.0087;
    private static final double THRESHOLD_DOWN = 0.039;
    private static final double LEAST_THRESHOLD = 6;
    private static final double MOST_THRESHOLD = 600;

    private final double[] arrivals = new double[WINDOW];
    private final double[] delays = new double[WINDOW];
    private int points;
    private int deltas;
    private double firstArrival = Double.NaN;
    private double accumulated;
    private double smoothed;
    private double trend;
    private double threshold = 12.5;
    private double lastThresholdUpdate = Double.NaN;
    private double overusingMillis = -1;
    private int overuseCount;
    private Usage usage = Usage.NORMAL;

    /** Takes one group's delta and returns what the path does now. */
    Usage update(InterArrival.Delta delta) {
        deltas = Math.min(deltas + 1, 1000);
        if (Double.isNaN(firstArrival)) {
            firstArrival = delta.arrivalMillis();
        }
        accumulated += delta.growthMillis();
        smoothed = SMOOTHING * smoothed + (1 - SMOOTHING) * accumulated;
        if (points == WINDOW) {
            System.arraycopy(arrivals, 1, arrivals, 0, WINDOW - 1);
            System.arraycopy(delays, 1, delays, 0, WINDOW - 1);
            points--;
        }
        arrivals[points] = delta.arrivalMillis() - firstArrival;
        delays[points] = smoothed;
        points++;
        double previousTrend = trend;
        if (points == WINDOW) {
            trend = slope(previousTrend);
        }
        detect(previousTrend, delta.sendDeltaMillis(), delta.arrivalMillis());
        return usage;
    }

    Usage usage() {
        return usage;
    }

    /** The queueing delay's slope over the window, as last fitted: milliseconds of delay per millisecond. */
    double trend() {
        return trend;
    }

    private double slope(double otherwise) {
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < points; i++) {
            meanX += arrivals[i];
            meanY += delays[i];
        }
        meanX /= points;
        meanY /= points;
        double numerator = 0;
        double denominator = 0;
        for (int i = 0; i < points; i++) {
            numerator += (arrivals[i] - meanX) * (delays[i] - meanY);
            denominator += (arrivals[i] - meanX) * (arrivals[i] - meanX);
        }
        return denominator == 0 ? otherwise : numerator / denominator;
    }

    private void detect(double previousTrend, double sendDeltaMillis, double nowMillis) {
        if (deltas < 2) {
            usage = Usage.NORMAL;
            return;
        }
        double modified = Math.min(deltas, MOST_DELTAS_COUNTED) * trend * THRESHOLD_GAIN;
        if (modified > threshold) {
            overusingMillis = overusingMillis < 0 ? sendDeltaMillis / 2 : overusingMillis + sendDeltaMillis;
            overuseCount++;
            if (overusingMillis > OVERUSING_MILLIS && overuseCount > 1 && trend >= previousTrend) {
                overusingMillis = 0;
                overuseCount = 0;
                usage = Usage.OVERUSING;
            }
        } else if (modified < -threshold) {
            overusingMillis = -1;
            overuseCount = 0;
            usage = Usage.UNDERUSING;
        } else {
            overusingMillis = -1;
            overuseCount = 0;
            usage = Usage.NORMAL;
        }
        adaptThreshold(modified, nowMillis);
    }

    private void adaptThreshold(double modified, double nowMillis) {
        if (Double.isNaN(lastThresholdUpdate)) {
            lastThresholdUpdate = nowMillis;
        }
        if (Math.abs(modified) > threshold + MOST_ADAPT_OFFSET) {
            lastThresholdUpdate = nowMillis;
            return;
        }
        double k = Math.abs(modified) < threshold ? THRESHOLD_DOWN : THRESHOLD_UP;
        double elapsed = Math.min(nowMillis - lastThresholdUpdate, 100);
        threshold += k * (Math.abs(modified) - threshold) * elapsed;
        threshold = Math.max(LEAST_THRESHOLD, Math.min(MOST_THRESHOLD, threshold));
        lastThresholdUpdate = nowMillis;
    }
}
