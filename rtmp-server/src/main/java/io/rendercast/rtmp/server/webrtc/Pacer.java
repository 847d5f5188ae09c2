package io.rendercast.rtmp.server.webrtc;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Spreads a WebRTC viewer's media packets over time instead of sending a frame's at once: a key frame of 50 KB
 * sent in one burst overflows a home router's 64 KB queue behind a 1.5 Mbit/s link, and every packet it drops is a
 * NACK, a retransmission or a frozen picture. Packets leave every {@link #TICK_MILLIS} ms at
 * {@value #PACING_FACTOR} times the rate the media has been sent at (libwebrtc paces at 2.5 times its target), at
 * least {@link #LEAST_BITS_PER_SECOND}. What waits longer than {@link #MOST_WAIT_NANOS} is dropped, and the
 * encoder is asked for a key frame to mend it. Thread-safe: frames come from the encoder's thread, the
 * ticks run on the viewer's event loop.
 */
final class Pacer {

    static final int TICK_MILLIS = 5;
    static final double PACING_FACTOR = 2.5;
    static final long LEAST_BITS_PER_SECOND = 1_000_000;
    static final long MOST_WAIT_NANOS = 500_000_000L;
    /** How much a tick may send beyond its share when the queue has waited: one tick's worth more. */
    private static final int BURST_TICKS = 2;

    private record Waiting(byte[] packet, long since) {
    }

    private final Consumer<byte[]> send;
    private final java.util.function.LongConsumer dropped;
    private final ArrayDeque<Waiting> queue = new ArrayDeque<>();
    private final EventExecutor executor;
    /** The ticks while packets wait, else null; under this pacer's lock. */
    private ScheduledFuture<?> ticks;
    private boolean closed;
    /** The media rate, bytes a second, as an average over about a second. */
    private double mediaBytesPerSecond;
    private long lastFrameNanos;
    private double budget;
    private long lastTickNanos = System.nanoTime();
    private long droppedPackets;

    /**
     * @param send    sends one packet; called on the event loop, one at a time
     * @param dropped told how many packets waited too long and were dropped, when some were: the viewer needs a key
     *                frame
     */
    Pacer(EventExecutor executor, Consumer<byte[]> send, java.util.function.LongConsumer dropped) {
        this.send = send;
        this.dropped = dropped;
        this.executor = executor;
    }

    /** A frame's packets, to go out in order. */
    synchronized void add(List<byte[]> packets) {
        if (closed) {
            return; // nothing drains it any more
        }
        long now = System.nanoTime();
        if (ticks == null && !packets.isEmpty()) {
            // Ticks run only while packets wait, not 200 times a second for a viewer with nothing to send (a
            // paused stream, a still scene). The first tick comes at once, with one tick's budget.
            lastTickNanos = now - TICK_MILLIS * 1_000_000L;
            ticks = executor.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        int bytes = 0;
        for (byte[] packet : packets) {
            queue.addLast(new Waiting(packet, now));
            bytes += packet.length;
        }
        double seconds = lastFrameNanos == 0 ? 0 : Math.min(1, (now - lastFrameNanos) / 1e9);
        lastFrameNanos = now;
        if (seconds > 0) {
            // An average over about a second: the weight of this frame is the time since the last one.
            mediaBytesPerSecond += seconds * (bytes / seconds - mediaBytesPerSecond);
        }
    }

    /** Packets dropped for waiting too long. */
    synchronized long dropped() {
        return droppedPackets;
    }

    /** Bytes waiting to be sent. */
    synchronized long waitingBytes() {
        long bytes = 0;
        for (Waiting waiting : queue) {
            bytes += waiting.packet().length;
        }
        return bytes;
    }

    private void tick() {
        List<byte[]> due = new java.util.ArrayList<>();
        long dropping = 0;
        synchronized (this) {
            long now = System.nanoTime();
            double rate = Math.max(LEAST_BITS_PER_SECOND / 8.0, mediaBytesPerSecond * PACING_FACTOR);
            budget = Math.min(rate * TICK_MILLIS * BURST_TICKS / 1000, budget + rate * (now - lastTickNanos) / 1e9);
            lastTickNanos = now;
            while (!queue.isEmpty() && now - queue.peekFirst().since() > MOST_WAIT_NANOS) {
                queue.pollFirst();
                droppedPackets++;
                dropping++;
            }
            while (!queue.isEmpty() && budget > 0) {
                byte[] packet = queue.pollFirst().packet();
                budget -= packet.length;
                due.add(packet);
            }
            if (queue.isEmpty()) {
                budget = Math.min(budget, 0); // no credit for idle time: the next frame is paced from its start
                if (ticks != null) {
                    ticks.cancel(false);
                    ticks = null;
                }
            }
        }
        due.forEach(send);
        if (dropping > 0) {
            dropped.accept(dropping);
        }
    }

    synchronized void close() {
        closed = true;
        if (ticks != null) {
            ticks.cancel(false);
            ticks = null;
        }
        queue.clear();
    }
}
