package io.rendercast.linkemulator;

import java.time.Duration;

/**
 * A link between a player and the server, as the emulator makes it.
 *
 * @param downBitsPerSecond  the rate toward the player (server to client), 0 for no cap
 * @param roundTrip          added to every round trip, half each way
 * @param routerQueueBytes   what the bottleneck holds before it takes no more: a router's queue. The relay then
 *                           pushes back on the sender's TCP; the packet link drops, as a router does
 * @param lossRatio          the share of packets lost at random, each way (0 to 1); only the packet link
 *                           ({@link PacketLink}) can lose a packet
 */
public record LinkConditions(long downBitsPerSecond, Duration roundTrip, int routerQueueBytes, double lossRatio) {

    /** A home router's queue: 64 KB. */
    public static final int ROUTER_QUEUE = 64 << 10;

    public LinkConditions {
        if (downBitsPerSecond < 0 || roundTrip.isNegative() || routerQueueBytes < LinkEmulator.CHUNK
                || !(lossRatio >= 0 && lossRatio < 1)) {
            throw new IllegalArgumentException("a rate of 0 (no cap) or more, a round trip of 0 or more, a router "
                    + "queue of at least " + LinkEmulator.CHUNK + " bytes and a loss of at least 0 and under 1, got "
                    + downBitsPerSecond + " bit/s, " + roundTrip + ", " + routerQueueBytes + " bytes, " + lossRatio);
        }
    }

    /** A link with no loss. */
    public LinkConditions(long downBitsPerSecond, Duration roundTrip, int routerQueueBytes) {
        this(downBitsPerSecond, roundTrip, routerQueueBytes, 0);
    }

    /** A link of {@code megabits} Mbit/s toward the player, {@code roundTripMillis} ms round trip, a router's queue. */
    public static LinkConditions of(double megabits, int roundTripMillis) {
        return new LinkConditions(Math.round(megabits * 1e6), Duration.ofMillis(roundTripMillis), ROUTER_QUEUE);
    }

    /** This link, losing {@code percent} % of its packets each way. */
    public LinkConditions withLossPercent(double percent) {
        return new LinkConditions(downBitsPerSecond, roundTrip, routerQueueBytes, percent / 100);
    }
}
