package io.rendercast.linkemulator;

import java.time.Duration;

/**
 * A link between a player and the server, as the emulator makes it.
 *
 * @param downBitsPerSecond  the rate toward the player (server to client), 0 for no cap
 * @param roundTrip          added to every round trip, half each way
 * @param routerQueueBytes   what the bottleneck holds before it stops taking more: a router's queue. The sender
 *                           then sees TCP push back, as it would once the router dropped its packets
 */
public record LinkConditions(long downBitsPerSecond, Duration roundTrip, int routerQueueBytes) {

    /** A home router's queue: 64 KB. */
    public static final int ROUTER_QUEUE = 64 << 10;

    public LinkConditions {
        if (downBitsPerSecond < 0 || roundTrip.isNegative() || routerQueueBytes < LinkEmulator.CHUNK) {
            throw new IllegalArgumentException("a rate of 0 (no cap) or more, a round trip of 0 or more and a "
                    + "router queue of at least " + LinkEmulator.CHUNK + " bytes, got " + downBitsPerSecond + " bit/s, "
                    + roundTrip + ", " + routerQueueBytes + " bytes");
        }
    }

    /** A link of {@code megabits} Mbit/s toward the player, {@code roundTripMillis} ms round trip, a router's queue. */
    public static LinkConditions of(double megabits, int roundTripMillis) {
        return new LinkConditions(Math.round(megabits * 1e6), Duration.ofMillis(roundTripMillis), ROUTER_QUEUE);
    }
}
