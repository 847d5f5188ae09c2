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
 * {@value #PACING_FACTOR} times the congestion controller's target or the rate the media has been sent at,
 * whichever is higher (libwebrtc paces at 2.5 times its target), at least {@link #LEAST_BITS_PER_SECOND}. What
 * waits longer than {@link #MOST_WAIT_NANOS} is dropped, and the encoder is asked for a key frame to mend it.
 * Thread-safe: frames come from the encoder's thread, the ticks run on the viewer's event loop.
 *
 * <p>As libwebrtc's pacer has since 2023, it may send at once what that rate carries in {@value #BURST_MILLIS} ms
 * ({@value #MOST_BURST_BYTES} bytes at most), credit earned while it had nothing to send: an ordinary frame goes out
 * whole, where spreading it only made it later (10 ms of 45 from render to the browser on loopback, bench
 * network-page), and only what is larger, a key frame or a frame after a scene cut, is spread.
 */
final class Pacer {

    static final int TICK_MILLIS = 5;
    static final double PACING_FACTOR = 2.5;
    static final long LEAST_BITS_PER_SECOND = 1_000_000;
    static final long MOST_WAIT_NANOS = 500_000_000L;
    /** The most sent at once, as the time the pacing rate takes to send it. */
    static final int BURST_MILLIS = 40;
    /**
     * And in bytes: half of a home router's 64 KB queue. Before feedback the target is the application's whole rate,
     * and at 8 Mbit/s 40 ms of 2.5 times it would be a 100 KB key frame at once.
     */
    static final int MOST_BURST_BYTES = 32 * 1024;
    /** {@code firstFrameNanos} before the first frame. */
    private static final long NEVER = Long.MIN_VALUE;

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
    private double targetBytesPerSecond;
    private long firstFrameNanos = NEVER;
    private long lastFrameNanos;
    private double budget;
    private long lastTickNanos;
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
        this.lastTickNanos = executor.ticker().nanoTime() - BURST_MILLIS * 1_000_000L; // a first burst's credit
    }

    /** A frame's packets, to go out in order. */
    synchronized void add(List<byte[]> packets) {
        if (closed || packets.isEmpty()) {
            // Closed: nothing drains it any more. No packets: a frame before the keys (RtpOut sends none until DTLS
            // is done), which is no media, and must not start the media's rate at 0.
            return;
        }
        long now = executor.ticker().nanoTime();
        if (ticks == null) {
            // Ticks run only while packets wait, not 200 times a second for a viewer with nothing to send (a
            // paused stream, a still scene). The first tick comes at once, with the credit the idle time earned.
            ticks = executor.scheduleAtFixedRate(this::tick, 0, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        int bytes = 0;
        for (byte[] packet : packets) {
            queue.addLast(new Waiting(packet, now));
            bytes += packet.length;
        }
        if (firstFrameNanos == NEVER) {
            firstFrameNanos = now;
            lastFrameNanos = now;
            return;
        }
        double seconds = Math.min(1, (now - lastFrameNanos) / 1e9);
        lastFrameNanos = now;
        if (seconds > 0) {
            // An average over about a second, the weight of this frame the time since the last one; over the time
            // since the first frame until a second has passed: an average that started at 0 kept a stream's first
            // second paced at the least rate, its frames 200 ms late (bench network-page, loopback).
            double span = Math.min(1, Math.max(seconds, (now - firstFrameNanos) / 1e9));
            mediaBytesPerSecond += seconds / span * (bytes / seconds - mediaBytesPerSecond);
        }
    }

    /** The congestion controller's target rate, bits a second: it paces at least at that. */
    synchronized void target(long bitsPerSecond) {
        targetBytesPerSecond = bitsPerSecond / 8.0;
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
            long now = executor.ticker().nanoTime();
            double rate = Math.max(LEAST_BITS_PER_SECOND / 8.0,
                    Math.max(mediaBytesPerSecond, targetBytesPerSecond) * PACING_FACTOR);
            double burst = Math.min(MOST_BURST_BYTES, rate * BURST_MILLIS / 1000);
            budget = Math.min(burst, budget + rate * (now - lastTickNanos) / 1e9);
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
