package io.rendercast.rtmp.server.transport;

import io.rendercast.rtmp.LinkEstimate;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * Estimates one viewer's path from its {@link LinkSample}s: the rate at which the viewer received bytes over the
 * last second, and how long the bytes between the server and the viewer take to drain at that rate.
 *
 * <p>"Received" is what the viewer acknowledged where it does (RTMP players acknowledge every window of bytes),
 * and otherwise what the socket took: then the queues beyond the server's kernel (a router's, the player's own)
 * are not seen, and only the server's queue counts. The rate is taken between two deliveries about a second
 * apart, so that acknowledgements that come a window at a time do not make it jump, and one window is not counted
 * as queued; a path that stays silent for longer than its acknowledgements do decays it.
 */
public final class LinkEstimator {

    private static final long SPAN_NANOS = 1_000_000_000L;
    private static final long MIN_SPAN_NANOS = 300_000_000L;
    /** Shorter than this, a pause between deliveries is only acknowledgements coming a window at a time. */
    private static final long MIN_SILENCE_NANOS = 500_000_000L;

    private record Delivery(long nanos, long bytes) {
    }

    private final ArrayDeque<Delivery> deliveries = new ArrayDeque<>();
    private long bitsPerSecond;

    /** Takes a sample, oldest first, and returns the path as it looks now. */
    public LinkEstimate update(LinkSample sample) {
        long intoSocket = sample.bytesWritten() - sample.bytesQueued();
        long delivered = sample.bytesAcknowledged() >= 0 ? Math.min(sample.bytesAcknowledged(), intoSocket)
                : intoSocket;
        Delivery last = deliveries.peekLast();
        if (last == null || delivered > last.bytes()) {
            deliveries.addLast(last = new Delivery(sample.nanos(), delivered));
        }
        while (deliveries.size() > 2 && sample.nanos() - secondOldest().nanos() > SPAN_NANOS) {
            deliveries.pollFirst();
        }
        // The largest step and pause between deliveries: a player that acknowledges a window at a time has that
        // window unacknowledged as a matter of course, and is silent for as long as a window takes.
        long step = 0;
        long pause = 0;
        Delivery before = null;
        for (Delivery d : deliveries) {
            if (before != null) {
                step = Math.max(step, d.bytes() - before.bytes());
                pause = Math.max(pause, d.nanos() - before.nanos());
            }
            before = d;
        }
        Delivery first = deliveries.peekFirst();
        boolean silent = sample.nanos() - last.nanos() > Math.max(MIN_SILENCE_NANOS, 2 * pause);
        long span = (silent ? sample.nanos() : last.nanos()) - first.nanos();
        if (span >= MIN_SPAN_NANOS) {
            bitsPerSecond = (long) ((last.bytes() - first.bytes()) * 8e9 / span);
        }
        long inTheWay = sample.bytesQueued() + Math.max(0, intoSocket - delivered - step);
        Duration queueDelay = bitsPerSecond == 0 ? Duration.ZERO
                : Duration.ofNanos((long) (inTheWay * 8e9 / bitsPerSecond));
        return new LinkEstimate(bitsPerSecond, queueDelay, Duration.ofNanos(sample.roundTripMicros() * 1000));
    }

    private Delivery secondOldest() {
        var it = deliveries.iterator();
        it.next();
        return it.next();
    }
}
