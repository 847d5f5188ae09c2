package io.rendercast.linkemulator;

import java.util.SplittableRandom;

/**
 * One way through a link, packet by packet: each packet is lost at random, or waits for the bottleneck behind
 * the packets before it (and is dropped when the router's queue has no room, as a router drops), then takes half
 * the round trip to the far end. Decides only when each packet arrives; moving the bytes is the caller's.
 */
final class PacketPath {

    private final boolean capped;
    private final SplittableRandom random;
    private long linkFreeAt = Long.MIN_VALUE; // when the bottleneck has sent every packet it took
    private long lost;
    private long overflowed;

    /** {@code capped}: the way toward the player, where the rate cap is; {@code seed}: for a repeatable run. */
    PacketPath(boolean capped, long seed) {
        this.capped = capped;
        this.random = new SplittableRandom(seed);
    }

    /** When a packet of {@code length} bytes that came at {@code nowNanos} reaches the far end, or -1 if never. */
    synchronized long arrival(int length, long nowNanos, LinkConditions link) {
        if (link.lossRatio() > 0 && random.nextDouble() < link.lossRatio()) {
            lost++;
            return -1;
        }
        long oneWay = link.roundTrip().toNanos() / 2;
        long rate = capped ? link.downBitsPerSecond() : 0;
        if (rate == 0) {
            return nowNanos + oneWay;
        }
        long start = Math.max(nowNanos, linkFreeAt);
        double bytesAhead = (start - nowNanos) / 1e9 * rate / 8; // a double: a large rate after a backlog overflows
        if (bytesAhead + length > link.routerQueueBytes()) {
            overflowed++;
            return -1;
        }
        linkFreeAt = start + length * 8L * 1_000_000_000L / rate;
        return linkFreeAt + oneWay;
    }

    /** Packets lost at random so far. */
    synchronized long lost() {
        return lost;
    }

    /** Packets the full router queue dropped so far. */
    synchronized long overflowed() {
        return overflowed;
    }
}
