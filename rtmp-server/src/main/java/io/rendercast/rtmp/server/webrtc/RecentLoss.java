package io.rendercast.rtmp.server.webrtc;

/**
 * The share of packets a viewer's path lost over about the last {@value #PACKETS} it reported on: what decides
 * whether frames go with FEC and retransmissions twice. Not the loss-based rate's span of 100 packets: at 1 % of
 * random loss, 37 % of such spans lose none, and FEC went off for the span after each, so that a third of the
 * losses waited a round trip for their retransmission (bench network-page, 80 ms and 1 %: the worst input of 40
 * took 230 to 260 ms with FEC, no better than the 1 % cell without it). Over 1,000 packets a path losing 1 % reads
 * under half a percent about one time in 35, and one that stopped losing reads 0 after 1,000 more packets: 4 s at
 * 2.5 Mbit/s. Counted in {@value #BUCKETS} buckets, the oldest dropped as a new one starts. Not thread-safe.
 */
final class RecentLoss {

    static final int PACKETS = 1000;
    private static final int BUCKETS = 10;
    private static final int BUCKET_PACKETS = PACKETS / BUCKETS;

    /** Reported and lost packets per bucket; the bucket at {@link #current} is filling. */
    private final int[] reported = new int[BUCKETS];
    private final int[] lost = new int[BUCKETS];
    private int current;
    private long reportedSum;
    private long lostSum;

    /** A report on {@code reportedPackets} packets, of which {@code missing} did not arrive. */
    void count(int reportedPackets, int missing) {
        if (reported[current] >= BUCKET_PACKETS) {
            current = (current + 1) % BUCKETS;
            reportedSum -= reported[current];
            lostSum -= lost[current];
            reported[current] = 0;
            lost[current] = 0;
        }
        reported[current] += reportedPackets;
        lost[current] += missing;
        reportedSum += reportedPackets;
        lostSum += missing;
    }

    /** The share lost over the buckets kept; 0 before any report. */
    double share() {
        return reportedSum == 0 ? 0 : lostSum / (double) reportedSum;
    }
}
