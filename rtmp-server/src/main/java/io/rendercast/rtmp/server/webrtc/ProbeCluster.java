package io.rendercast.rtmp.server.webrtc;

/**
 * One probe: a few packets sent back to back at a rate above the one set, and what the path showed it carries from
 * when they arrived (libwebrtc's {@code ProbeBitrateEstimator}): the rate they were sent at, the rate they arrived
 * at, and the less of the two; where they arrived clearly slower than they were sent (under {@value #UNSATURATED} of
 * it), the path queued them, and 0.95 of the rate they arrived at is what it carries. Valid only where at least
 * {@value #LEAST_RECEIVED} of its packets were reported received, over spans longer than 0 and under a second, and
 * where they did not arrive over {@value #MOST_ARRIVED_OVER_SENT} times as fast as they were sent (arrivals bunched by
 * the receiver, as Wi-Fi's aggregation does, would read as the whole rate sent). Not thread-safe.
 */
final class ProbeCluster {

    static final double LEAST_RECEIVED = 0.8;
    static final double UNSATURATED = 0.9;
    static final double MOST_ARRIVED_OVER_SENT = 2;
    private static final double UTILISATION = 0.95;
    private static final long MOST_SPAN_MICROS = 1_000_000;

    private final int packets;
    private int reported;
    private int received;
    private long bytes;
    private long firstSendNanos = Long.MAX_VALUE;
    private long lastSendNanos = Long.MIN_VALUE;
    private int lastSentSize;
    private long firstArrivalMicros = Long.MAX_VALUE;
    private long lastArrivalMicros = Long.MIN_VALUE;
    private int firstArrivedSize;

    /** @param packets how many packets the probe sends */
    ProbeCluster(int packets) {
        this.packets = packets;
    }

    /** The fate of one of its packets. */
    void reported(CongestionController.Fate fate) {
        reported++;
        if (!fate.arrived()) {
            return;
        }
        received++;
        bytes += fate.size();
        if (fate.sendNanos() < firstSendNanos) {
            firstSendNanos = fate.sendNanos();
        }
        if (fate.sendNanos() > lastSendNanos) {
            lastSendNanos = fate.sendNanos();
            lastSentSize = fate.size();
        }
        if (fate.arrivalMicros() < firstArrivalMicros) {
            firstArrivalMicros = fate.arrivalMicros();
            firstArrivedSize = fate.size();
        }
        lastArrivalMicros = Math.max(lastArrivalMicros, fate.arrivalMicros());
    }

    /** Whether every packet's fate is known. */
    boolean complete() {
        return reported >= packets;
    }

    /** What the path carries by this probe, bits a second; -1 where it tells nothing (too few arrived, or spans of 0). */
    long bitsPerSecond() {
        if (received < LEAST_RECEIVED * packets || received < 2) {
            return -1;
        }
        long sendMicros = (lastSendNanos - firstSendNanos) / 1000;
        long arrivalMicros = lastArrivalMicros - firstArrivalMicros;
        if (sendMicros <= 0 || arrivalMicros <= 0 || sendMicros > MOST_SPAN_MICROS
                || arrivalMicros > MOST_SPAN_MICROS) {
            return -1;
        }
        // The last packet sent took no send time within the span; the first to arrive, no arrival time.
        double sent = (bytes - lastSentSize) * 8e6 / sendMicros;
        double arrived = (bytes - firstArrivedSize) * 8e6 / arrivalMicros;
        if (arrived > MOST_ARRIVED_OVER_SENT * sent) {
            return -1;
        }
        double carried = arrived < UNSATURATED * sent ? UTILISATION * arrived : Math.min(sent, arrived);
        return (long) carried;
    }
}
