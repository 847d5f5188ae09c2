package io.rendercast.rtmp.server.webrtc;

/**
 * The share of packets a viewer's path lost over about the last {@value #PACKETS} it reported on, and the last
 * {@value #MOST_MILLIS} ms at most: what decides whether frames go with FEC and retransmissions twice. Not the
 * loss-based rate's span of 100 packets: at 1 % of random loss, 37 % of such spans lose none, and FEC went off for
 * the span after each, so that a third of the losses waited a round trip for their retransmission (bench
 * network-page, 80 ms and 1 %: the worst input of 40 took 230 to 260 ms with FEC, no better than the 1 % cell
 * without it). Over 1,000 packets a path losing 1 % reads under half a percent about one time in 35, and one that
 * stopped losing reads 0 after 1,000 more packets: 4 s at 2.5 Mbit/s. The time limit keeps a slow stream's one
 * burst (a router's queue that overflowed once) from holding FEC on for half a minute; under {@value #LEAST_PACKETS}
 * packets it reads none, as one lost of the first 20 is no measure. Counted in {@value #BUCKETS} buckets, the
 * oldest dropped as a new one starts or as it grows old. Times in milliseconds. Not thread-safe.
 */
final class RecentLoss {

    static final int PACKETS = 1000;
    static final double MOST_MILLIS = 6000;
    static final int LEAST_PACKETS = 100;
    private static final int BUCKETS = 10;
    private static final int BUCKET_PACKETS = PACKETS / BUCKETS;

    /** Reported and lost packets per bucket, and when each started; the bucket at {@link #current} is filling. */
    private final int[] reported = new int[BUCKETS];
    private final int[] lost = new int[BUCKETS];
    private final double[] started = new double[BUCKETS];
    private int current;
    private long reportedSum;
    private long lostSum;

    /** A report at {@code nowMillis} on {@code reportedPackets} packets, of which {@code missing} did not arrive. */
    void count(int reportedPackets, int missing, double nowMillis) {
        for (int b = 0; b < BUCKETS; b++) {
            if (b != current && reported[b] > 0 && nowMillis - started[b] > MOST_MILLIS) {
                empty(b);
            }
        }
        if (reported[current] >= BUCKET_PACKETS || reported[current] > 0 && nowMillis - started[current] > MOST_MILLIS
                / BUCKETS) {
            current = (current + 1) % BUCKETS;
            empty(current);
        }
        if (reported[current] == 0) {
            started[current] = nowMillis;
        }
        reported[current] += reportedPackets;
        lost[current] += missing;
        reportedSum += reportedPackets;
        lostSum += missing;
    }

    private void empty(int bucket) {
        reportedSum -= reported[bucket];
        lostSum -= lost[bucket];
        reported[bucket] = 0;
        lost[bucket] = 0;
    }

    /** The share lost over the buckets kept; 0 while they hold under {@value #LEAST_PACKETS} packets. */
    double share() {
        return reportedSum < LEAST_PACKETS ? 0 : lostSum / (double) reportedSum;
    }
}
