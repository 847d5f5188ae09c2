package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.server.common.HandlerCalls;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.video.VideoEncoder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One playback of a stream, from play to stop, and its two threads. The object itself is the playback's stop
 * token: a stop that a handler asks for ends this playback only, never a later one on the same stream.
 *
 * <p>The render thread ({@code rtmp-render-C-S}) calls the render handler once per frame period, on a steady
 * clock, and signals the frame thread; it never waits on the frame thread or the network. Each render is
 * stamped with its tick: 0 ms for the first, a whole number of frame periods later for each next one (a
 * period the render overran is skipped, leaving a gap). The frame thread ({@code rtmp-frame-C-S}) calls the
 * frame handler for the newest render (renders it had no time for are skipped, not queued) and the frame goes
 * out with that render's stamp. Both are platform threads, so that a GPU context made current on one stays
 * there.
 */
public final class StreamPlayback {

    private static final System.Logger LOG = System.getLogger(StreamPlayback.class.getName());

    private final PlaybackSource source;
    private final io.rendercast.rtmp.Stream stream;
    private final FrameSink sender;
    private final FrameOut out;
    private final Thread renderThread;
    private final Thread frameThread;
    private final Object renderSignal = new Object();
    private volatile boolean running = true;
    private volatile boolean paused;
    /** When the player fell behind (its out-queue full), or 0 while it keeps up; set by the frame thread. */
    private volatile long behindSinceNanos;
    private final long maxBehindNanos;
    private final RenderBudget budget;
    /** When the playback began: older playbacks get their turns at rendering and encoding first. */
    private final long startedNanos = System.nanoTime();
    private long pendingTimestamp = -1; // guarded by renderSignal: the newest render not yet framed
    private boolean frameThreadDone; // guarded by this
    private VideoEncoder closeWhenDone; // guarded by this

    /**
     * @param threadSuffix names the threads: {@code rtmp-render-SUFFIX}, {@code rtmp-frame-SUFFIX}
     * @param maxBehind    how long the sink may stay full before the player is closed
     */
    public StreamPlayback(PlaybackSource source, FrameSink sender, String threadSuffix, Duration maxBehind,
                   RenderBudget budget) {
        this.budget = budget;
        this.source = source;
        this.stream = source.stream();
        this.sender = sender;
        this.out = new FrameOut(source, sender);
        this.maxBehindNanos = maxBehind.toNanos();
        String suffix = threadSuffix;
        this.renderThread = Thread.ofPlatform().daemon().name("rtmp-render-" + suffix).unstarted(this::renderLoop);
        this.frameThread = Thread.ofPlatform().daemon().name("rtmp-frame-" + suffix).unstarted(this::frameLoop);
    }

    public void start() {
        renderThread.start();
        frameThread.start();
    }

    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    /**
     * Stops both threads and waits up to {@code timeout} for their handlers to return; called on the connection
     * thread, never on theirs. Returns whether the frame thread finished, so that its encoder is free.
     */
    public boolean stop(Duration timeout) {
        running = false;
        synchronized (renderSignal) {
            renderSignal.notifyAll();
        }
        LockSupport.unpark(renderThread);
        long deadline = System.nanoTime() + timeout.toNanos();
        join(renderThread, deadline);
        return join(frameThread, deadline);
    }

    private boolean join(Thread thread, long deadline) {
        try {
            thread.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not return from its handler in time for the stop; the "
                        + "stream ends without it, and nothing it makes is sent", thread.getName());
                thread.interrupt();
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !thread.isAlive();
        }
    }

    /** The frame thread did not finish in time: {@code encoder} is closed once it does. */
    synchronized void closeWhenFrameThreadDone(VideoEncoder encoder) {
        if (frameThreadDone) {
            encoder.close();
        } else {
            closeWhenDone = encoder;
        }
    }

    private void renderLoop() {
        try {
            renderFrames();
        } finally {
            RenderHandler handler = source.renderHandler();
            if (handler != null) {
                HandlerCalls.call(stream, "render handler's renderStopped", () -> {
                    handler.renderStopped(stream);
                    return null;
                }, null);
            }
        }
    }

    private void renderFrames() {
        double millis = 0;
        long next = System.nanoTime();
        while (running) {
            double rate = source.renderRate();
            long period = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
            if (!paused) {
                RenderHandler handler = source.renderHandler();
                // While the player is behind nothing is encoded for it: rendering idles, unless the handler says.
                if (handler != null && (behindSinceNanos == 0 || handler.renderWhilePlayerBehind(stream))) {
                    if (!budget.acquire(startedNanos, () -> running)) {
                        break;
                    }
                    Boolean ok;
                    try {
                        ok = HandlerCalls.call(stream, "render handler", () -> handler.handle(stream), null);
                    } finally {
                        budget.release();
                    }
                    if (ok == null || !ok) {
                        requestStop(ok == null ? "the render handler threw" : "the render handler returned false");
                        return;
                    }
                    source.metrics().frameRendered();
                }
                synchronized (renderSignal) {
                    pendingTimestamp = Math.round(millis);
                    renderSignal.notifyAll();
                }
            }
            next += period;
            millis += 1000 / rate;
            long now = System.nanoTime();
            if (now - next > period) {
                // Rendering overran: skip the missed ticks rather than burst to catch up; the clock keeps them.
                long missed = (now - next) / period;
                next += missed * period;
                millis += missed * 1000 / rate;
            }
            while (running && (now = System.nanoTime()) < next) {
                LockSupport.parkNanos(next - now);
            }
        }
    }

    private void frameLoop() {
        try {
            long timestamp;
            while ((timestamp = awaitRender()) >= 0) {
                FrameHandler handler = source.frameHandler();
                if (handler == null || paused) {
                    continue;
                }
                boolean full = sender.isFull();
                if (full) {
                    sender.markGap();
                    source.countDropped();
                    source.metrics().outQueueFull();
                    if (fellTooFarBehind()) {
                        return;
                    }
                } else {
                    behindSinceNanos = 0;
                }
                // A player that is behind gets a call that returns at once: it takes no turn.
                if (!full && !budget.acquire(startedNanos, () -> running)) {
                    break;
                }
                out.open((int) timestamp, full);
                Boolean ok;
                long started = System.nanoTime();
                try {
                    ok = HandlerCalls.call(stream, "frame handler", () -> handler.handle(stream, out, full), null);
                } finally {
                    out.close();
                    if (!full) {
                        budget.release();
                    }
                }
                if (!full) {
                    source.metrics().frameHandlerTook(System.nanoTime() - started);
                }
                if (ok == null || !ok) {
                    requestStop(ok == null ? "the frame handler threw" : "the frame handler returned false");
                    return;
                }
            }
        } finally {
            frameThreadDone();
        }
    }

    /** The player is behind: true, the stream asked to end, once it has been behind for longer than allowed. */
    private boolean fellTooFarBehind() {
        long now = System.nanoTime();
        if (behindSinceNanos == 0) {
            behindSinceNanos = now;
            return false;
        }
        if (now - behindSinceNanos <= maxBehindNanos) {
            return false;
        }
        if (running) {
            running = false;
            String why = "the player read nothing for more than " + TimeUnit.NANOSECONDS.toSeconds(maxBehindNanos)
                    + " s while frames waited for it";
            ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: closing: {1}", stream, why);
            source.closeBehindPlayer(this, why);
        }
        return true;
    }

    private synchronized void frameThreadDone() {
        frameThreadDone = true;
        if (closeWhenDone != null) {
            closeWhenDone.close();
        }
    }

    /** Waits for a render not yet framed and returns its stamp; -1 once stopped. */
    private long awaitRender() {
        synchronized (renderSignal) {
            while (running && pendingTimestamp < 0) {
                try {
                    renderSignal.wait();
                } catch (InterruptedException e) {
                    return -1;
                }
            }
            long timestamp = pendingTimestamp;
            pendingTimestamp = -1;
            return running ? timestamp : -1;
        }
    }

    private void requestStop(String why) {
        if (running) {
            running = false;
            ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: stopping: {1}", stream, why);
            source.requestStop(this, why);
        }
    }
}
