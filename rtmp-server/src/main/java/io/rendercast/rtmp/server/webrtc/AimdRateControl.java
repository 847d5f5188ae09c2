package io.rendercast.rtmp.server.webrtc;

/**
 * The delay-based half of Google Congestion Control's rate (libwebrtc's {@code AimdRateControl}): while the path
 * is overused, down to {@value #BETA} of what it carried while it had something to carry (held where too little
 * arrived to tell); while it is underused (a queue draining), held; otherwise up, by 8 % a second while the path's
 * capacity is unknown, and by about a packet a round trip near the capacity it last showed when it queued. Never
 * above half as much again as the viewer receives (a rate the encoder does not fill proves nothing), but where a
 * probe showed the path carrying more ({@link #probed}). Past the least
 * that capacity is thought to be (its average over the overuses less three deviations, libwebrtc's lower bound) only
 * while the viewer receives at least {@value #FILLED} of the rate: an encoder short of its rate (a simple scene, a
 * tight rate buffer) let it climb from 1.27 to 1.9 Mbit/s over 17 s on a 1.5 Mbit/s path (bench network-page's trace
 * after the step from 6), and the first hard frames then sent at that rate queued until the path overused. Held at
 * the average itself, the rate stood on a reading's error: on a loaded machine the first overuse read a 1.5 Mbit/s
 * link as carrying 1.536, and WhepPlaybackTest's encoder sat at 1.534 for the rest of the run. Times in milliseconds
 * on the server's clock; rates in bits a second. Not thread-safe.
 */
final class AimdRateControl {

    static final double BETA = 0.85;
    /** The share of the rate a viewer receives that shows the encoder fills it (headers and FEC count in both). */
    static final double FILLED = 0.9;
    static final double CAPACITY_KEPT_MILLIS = 20_000;
    private static final double MULTIPLICATIVE_PER_SECOND = 1.08;
    private static final double LEAST_ADDITIVE_PER_SECOND = 4_000;
    private static final double FRAME_SECONDS = 1 / 30.0;
    private static final double PACKET_BITS = 1200 * 8;

    private enum State { HOLD, INCREASE, DECREASE }

    private final long least;
    private long ceiling;
    private double rate;
    private State state = State.HOLD;
    private double lastChangeMillis = Double.NaN;
    private double lastDecreaseMillis = Double.NaN;
    /** When the capacity was last measured (an overuse) or held the rate from climbing past it; NaN: never. */
    private double capacityUsedMillis = Double.NaN;
    /** When the rate was last held from climbing for an encoder short of it; NaN: never. */
    private double heldMillis = Double.NaN;
    private double roundTripMillis = 200;
    /** The rate at which the path queued, an average over its overuses, with its deviation; NaN: unknown. */
    private double capacityKbps = Double.NaN;
    private double deviationKbps = 0.4;

    AimdRateControl(long startBitsPerSecond, long leastBitsPerSecond) {
        this.rate = startBitsPerSecond;
        this.ceiling = startBitsPerSecond;
        this.least = leastBitsPerSecond;
    }

    long bitsPerSecond() {
        return (long) rate;
    }

    /**
     * The rate at which the path queued, averaged over its overuses, bits a second; -1 where unknown, or where the
     * last overuse is more than {@value #CAPACITY_KEPT_MILLIS} ms before {@code nowMillis}: a path that slowed while
     * the server sent under it shows no overuse, and an old figure would stand for it (TCP's capacity is kept as long).
     * Kept as long from when it last held the rate, too: the rate stands on it then, and without an overuse to renew
     * it the estimate fell to what an encoder short of its rate sent (1.1 Mbit/s on a 1.5 Mbit/s path).
     */
    long capacityBitsPerSecond(double nowMillis) {
        if (Double.isNaN(capacityKbps) || nowMillis - capacityUsedMillis > CAPACITY_KEPT_MILLIS) {
            return -1;
        }
        return (long) (capacityKbps * 1000);
    }

    /**
     * Whether the rate was held from climbing within {@code millis} before {@code nowMillis}: the encoder sends under
     * it, and what the path would carry beyond the capacity last found is unknown until a probe shows it.
     */
    boolean heldWithin(double nowMillis, double millis) {
        return !Double.isNaN(heldMillis) && nowMillis - heldMillis <= millis;
    }

    /** The most the rate goes to. */
    long ceiling() {
        return ceiling;
    }

    /**
     * A probe found the path carrying {@code bitsPerSecond}: where that is beyond the capacity's upper bound, the
     * path is faster than it was found, and the rate goes to what the probe showed (libwebrtc's {@code SetEstimate}
     * after a probe); the capacity is found anew. Within the bound it changes nothing: the hold stands on the lower
     * bound by design. Returns the rate.
     */
    long probed(long bitsPerSecond, double nowMillis) {
        boolean beyond = Double.isNaN(capacityKbps) || bitsPerSecond / 1000.0 > upperBoundKbps();
        if (beyond && bitsPerSecond > rate) {
            capacityKbps = Double.NaN;
            heldMillis = Double.NaN;
            rate = Math.max(least, Math.min(ceiling, bitsPerSecond));
            lastChangeMillis = nowMillis;
        }
        return (long) rate;
    }

    /** The most the rate goes to: the encoder's bit rate as the application set it. */
    void ceiling(long bitsPerSecond) {
        ceiling = bitsPerSecond;
        rate = Math.min(rate, ceiling);
    }

    void roundTrip(double millis) {
        roundTripMillis = millis;
    }

    /**
     * Whether an overuse now should bring the rate down: the first cut at once, another once a round trip (10 to
     * 200 ms) after the last, or at once where the path carries less than half the rate. libwebrtc waits a round trip
     * after any change, an increase too, so that with Chromium's feedback every 60 ms each overuse after a climb was
     * cut 120 to 190 ms late while the queue grew (bench network-page's trace). On CongestionControllerTest's
     * simulated path, three seeds, the first cut at once: the queue's 99th percentile at 1.5 Mbit/s 37 to 41 ms, and
     * at most 164 to 242 ms at the step from 6; with libwebrtc's wait 50 to 64 and 230 to 304 ms.
     */
    boolean dueForDecrease(double nowMillis, double carriedBitsPerSecond) {
        double interval = Math.max(10, Math.min(200, roundTripMillis));
        return Double.isNaN(lastDecreaseMillis) || nowMillis - lastDecreaseMillis >= interval
                || carriedBitsPerSecond < rate / 2;
    }

    /**
     * What the path does now, what the viewer received over the last moment, and what the path carried over it
     * while it had something to carry (what an overuse cuts to a share of, and the capacity it shows: a pause of
     * the server's own is not the path's rate); returns the new rate.
     */
    long update(TrendlineDetector.Usage usage, double receivedBitsPerSecond, double carriedBitsPerSecond,
                double nowMillis) {
        switch (usage) {
            case OVERUSING -> state = State.DECREASE;
            case UNDERUSING -> state = State.HOLD;
            case NORMAL -> {
                if (state == State.HOLD) {
                    lastChangeMillis = nowMillis;
                    state = State.INCREASE;
                }
            }
        }
        double received = receivedBitsPerSecond;
        double limit = 1.5 * received + 10_000;
        double next = rate;
        if (state == State.INCREASE) {
            if (!Double.isNaN(capacityKbps) && received / 1000 > upperBoundKbps()) {
                capacityKbps = Double.NaN; // the path carries more than it did: find it anew
            }
            if (rate < limit) {
                double since = Double.isNaN(lastChangeMillis) ? 0 : Math.min(1000, nowMillis - lastChangeMillis);
                double increase = Double.isNaN(capacityKbps)
                        ? Math.max(1000, rate * (Math.pow(MULTIPLICATIVE_PER_SECOND, since / 1000) - 1))
                        : nearCapacityPerSecond() * since / 1000;
                next = Math.min(rate + increase, limit);
                if (!Double.isNaN(capacityKbps) && received < FILLED * rate) {
                    double held = Math.max(rate, lowerBoundKbps() * 1000); // held, not cut
                    if (next > held) {
                        next = held;
                        capacityUsedMillis = nowMillis;
                        heldMillis = nowMillis;
                    }
                }
            }
            lastChangeMillis = nowMillis;
        } else if (state == State.DECREASE && carriedBitsPerSecond <= 0) {
            state = State.HOLD; // too little arrived lately to read the path by: no cut, nor capacity, from nothing
        } else if (state == State.DECREASE) {
            // Never more than the path was found to carry at its overuses, where known: a reading of idle time that
            // a shared path's other flows in fact filled cannot hold the rate up.
            double path = Math.max(received, Double.isNaN(capacityKbps) ? carriedBitsPerSecond
                    : Math.min(carriedBitsPerSecond, upperBoundKbps() * 1000));
            double decreased = path * BETA;
            if (decreased > rate && !Double.isNaN(capacityKbps)) {
                decreased = BETA * capacityKbps * 1000;
            }
            if (decreased < rate) {
                next = decreased;
                lastDecreaseMillis = nowMillis; // a "cut" that lowers nothing does not hold off the next
            }
            if (!Double.isNaN(capacityKbps) && path / 1000 < lowerBoundKbps()) {
                capacityKbps = Double.NaN;
            }
            overused(path / 1000);
            capacityUsedMillis = nowMillis;
            state = State.HOLD;
            lastChangeMillis = nowMillis;
        }
        rate = Math.max(least, Math.min(ceiling, next));
        return (long) rate;
    }

    /** About one packet more each response time (a round trip and 100 ms), at the current frame size. */
    private double nearCapacityPerSecond() {
        double frameBits = rate * FRAME_SECONDS;
        double packetsPerFrame = Math.ceil(frameBits / PACKET_BITS);
        double packetBits = frameBits / packetsPerFrame;
        double responseSeconds = (roundTripMillis + 100) / 1000;
        return Math.max(LEAST_ADDITIVE_PER_SECOND, packetBits / responseSeconds);
    }

    private void overused(double receivedKbps) {
        double alpha = 0.05;
        capacityKbps = Double.isNaN(capacityKbps) ? receivedKbps
                : (1 - alpha) * capacityKbps + alpha * receivedKbps;
        double error = capacityKbps - receivedKbps;
        deviationKbps = (1 - alpha) * deviationKbps + alpha * error * error / Math.max(capacityKbps, 1);
        deviationKbps = Math.max(0.4, Math.min(2.5, deviationKbps));
    }

    private double upperBoundKbps() {
        return capacityKbps + 3 * Math.sqrt(deviationKbps * capacityKbps);
    }

    private double lowerBoundKbps() {
        return Math.max(0, capacityKbps - 3 * Math.sqrt(deviationKbps * capacityKbps));
    }
}
