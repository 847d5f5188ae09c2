package io.rendercast.rtmp.server.transport;

import io.rendercast.rtmp.LinkEstimate;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Estimates one viewer's path from its {@link LinkSample}s: the rate at which the viewer received bytes over the
 * last second, and the delay that queues on the way add.
 *
 * <p>Where the viewer's TCP acknowledges what it received and TCP times its round trips (Linux, a player not
 * beside the server), the queue is what TCP's smoothed round trip has beyond its least ({@link
 * LinkSample#queueMicros()}). Where only the viewer acknowledges (RTMP players do, a window of bytes at a time),
 * each acknowledgement times a round trip: from when the server's socket took the byte it names to when it came
 * back. The least such round trip over the last {@value #BASE_SECONDS} s is the path's own; what a round trip has
 * beyond it is queueing. Sampled once a frame, such round trips come in steps of a frame (33 ms at 30 fps), and
 * the least of them is a lucky one: bench network read 4, 37, 70 or 104 ms of queue and nothing between, and a
 * path at 0.1 s of real delay could read a standing 70 ms and have its rate eased off for it. Where the viewer says nothing, only the server's own queue is seen: the bytes its socket has not
 * taken, at the delivery rate; a queue further on (a router's) shows once it pushes back on the socket.
 *
 * <p>The rate is taken between two deliveries about a second apart, so that acknowledgements that come a window at
 * a time do not make it jump; a path that stays silent for longer than its acknowledgements do decays it.
 */
public final class LinkEstimator {

    static final int BASE_SECONDS = 30;
    /** The span the rate received is measured over. */
    public static final long RATE_SPAN_NANOS = 1_000_000_000L;
    private static final long MIN_SPAN_NANOS = 300_000_000L;
    /** Shorter than this, a pause between deliveries is only acknowledgements coming a window at a time. */
    private static final long MIN_SILENCE_NANOS = 500_000_000L;
    /** How long a byte's send time is kept for its acknowledgement: longer than any round trip worth measuring. */
    private static final long SENT_KEPT_NANOS = 5_000_000_000L;

    private record Mark(long nanos, long bytes) {
    }

    /** The socket had taken {@code bytes} by {@code nanos}, and some of them after {@code sinceNanos}. */
    private record Taken(long sinceNanos, long nanos, long bytes) {
    }

    private final ArrayDeque<Mark> deliveries = new ArrayDeque<>();
    /** When the socket had taken how many bytes, for timing acknowledgements. */
    private final ArrayDeque<Taken> sent = new ArrayDeque<>();
    private final long[] leastRoundTripBySecond = new long[BASE_SECONDS];
    private long lastSecond = Long.MIN_VALUE;
    private boolean acknowledged;
    private long bitsPerSecond;
    private long roundTripNanos;
    private long queueNanos;
    private long heldNanos;
    private long lastSampleNanos = Long.MIN_VALUE;

    /** Takes a sample, oldest first, and returns the path as it looks now. */
    public LinkEstimate update(LinkSample sample) {
        long now = sample.nanos();
        long intoSocket = sample.bytesWritten() - sample.bytesQueued();
        boolean acknowledging = sample.bytesAcknowledged() >= 0;
        if (acknowledging && !acknowledged) {
            acknowledged = true;
            deliveries.clear(); // what the socket took until now is no measure of what the viewer received
        }
        long delivered = acknowledging ? Math.min(sample.bytesAcknowledged(), intoSocket) : intoSocket;
        Taken lastSent = sent.peekLast();
        if (lastSent == null || intoSocket > lastSent.bytes()) {
            sent.addLast(new Taken(lastSampleNanos == Long.MIN_VALUE ? now : lastSampleNanos, now, intoSocket));
        }
        lastSampleNanos = now;
        Mark last = deliveries.peekLast();
        if (last == null || delivered > last.bytes()) {
            if (acknowledging && last != null) {
                timeRoundTrip(now, delivered);
            }
            deliveries.addLast(last = new Mark(now, delivered));
        }
        while (sent.size() > 1 && now - sent.peekFirst().nanos() > SENT_KEPT_NANOS) {
            sent.pollFirst();
        }
        while (deliveries.size() > 2 && now - secondOldest().nanos() > RATE_SPAN_NANOS) {
            deliveries.pollFirst();
        }
        long pause = 0;
        long step = 0;
        Mark before = null;
        for (Mark d : deliveries) {
            if (before != null) {
                pause = Math.max(pause, d.nanos() - before.nanos());
                step = Math.max(step, d.bytes() - before.bytes());
            }
            before = d;
        }
        Mark first = deliveries.peekFirst();
        boolean silent = now - last.nanos() > Math.max(MIN_SILENCE_NANOS, 2 * pause);
        long span = (silent ? now : last.nanos()) - first.nanos();
        if (span >= MIN_SPAN_NANOS) {
            bitsPerSecond = (long) ((last.bytes() - first.bytes()) * 8e9 / span);
        }
        heldNanos = bitsPerSecond == 0 ? 0 : (long) (sample.bytesQueued() * 8e9 / bitsPerSecond);
        if (acknowledging) {
            // Acknowledgements come a window at a time: between two the queue is the last one's, unless one is
            // overdue, which is time queued too. Once all but a window is acknowledged, nothing is in the way: a
            // sender that held back (a broadcast skipping to a key frame) must see the way clear again.
            boolean timedByTcp = sample.queueMicros() >= 0;
            long queued = 0;
            if (intoSocket - delivered > step) {
                long overdue = silent ? now - last.nanos() - Math.max(MIN_SILENCE_NANOS, 2 * pause) : 0;
                queued = Math.max(0, timedByTcp ? sample.queueMicros() * 1000 : queueNanos) + Math.max(0, overdue);
            }
            return new LinkEstimate(bitsPerSecond, Duration.ofNanos(heldNanos + queued),
                    Duration.ofNanos(timedByTcp ? sample.roundTripMicros() * 1000 : roundTripNanos));
        }
        return new LinkEstimate(bitsPerSecond, Duration.ofNanos(heldNanos),
                Duration.ofNanos(sample.roundTripMicros() * 1000));
    }

    /**
     * How long what the server still holds for the viewer (its socket has not taken it) takes at the delivery rate,
     * as of the last {@link #update}; 0 while the rate is not known.
     */
    public long heldNanos() {
        return heldNanos;
    }

    /**
     * An acknowledgement of {@code acknowledged} bytes came at {@code now}: how long since the socket took them. The
     * socket took them between two samples, so a round trip read shorter than the time between those says
     * nothing: after a late sample (a long frame, a collection) it reads as nothing, and as the least of the next
     * 30 s it would make every queue read a round trip too long.
     */
    private void timeRoundTrip(long now, long acknowledged) {
        Taken taken = null;
        for (Taken t : sent) {
            if (t.bytes() >= acknowledged) {
                taken = t;
                break;
            }
        }
        if (taken == null || now - taken.nanos() < taken.nanos() - taken.sinceNanos()) {
            return;
        }
        roundTripNanos = now - taken.nanos();
        queueNanos = roundTripNanos - leastRoundTrip(now, roundTripNanos);
    }

    /** The least round trip over the last {@link #BASE_SECONDS} seconds: the path's own. */
    private long leastRoundTrip(long now, long roundTrip) {
        long second = now / 1_000_000_000L;
        if (lastSecond == Long.MIN_VALUE) {
            Arrays.fill(leastRoundTripBySecond, Long.MAX_VALUE);
            lastSecond = second;
        }
        for (long s = lastSecond + 1; s <= second && s <= lastSecond + BASE_SECONDS; s++) {
            leastRoundTripBySecond[(int) Math.floorMod(s, (long) BASE_SECONDS)] = Long.MAX_VALUE;
        }
        lastSecond = Math.max(lastSecond, second);
        int slot = (int) Math.floorMod(second, (long) BASE_SECONDS);
        leastRoundTripBySecond[slot] = Math.min(leastRoundTripBySecond[slot], roundTrip);
        long least = Long.MAX_VALUE;
        for (long value : leastRoundTripBySecond) {
            least = Math.min(least, value);
        }
        return least;
    }

    private Mark secondOldest() {
        var it = deliveries.iterator();
        it.next();
        return it.next();
    }
}
