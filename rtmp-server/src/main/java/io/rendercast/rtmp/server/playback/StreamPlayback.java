package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.HandlerCalls;
import io.rendercast.rtmp.server.playback.PlayerWatch.Player;
import io.rendercast.video.VideoEncoder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * One playback of a stream, from play to stop, and its two threads. The object itself is the playback's stop
 * token: a stop that a handler asks for ends this playback only, never a later one on the same stream.
 *
 * <p>The render thread ({@code rtmp-render-C-S}) calls the render handler once per frame period, on a steady
 * clock, and signals the frame thread; it never waits on the frame thread or the network. Each render is
 * stamped with its tick: 0 ms for the first, a whole number of frame periods later for each next one (a
 * period the render overran is skipped, leaving a gap). An application's {@link RenderRequest} pulls the next
 * tick forward to now, stamped when it runs; the tick after it keeps its time, so input steers the phase of the
 * renders, never their rate. The frame thread ({@code rtmp-frame-C-S}) calls the
 * frame handler for the newest render (renders it had no time for are skipped, not queued) and the frame goes
 * out with that render's stamp. A render is framed once: the frame thread is signalled for renders, and, while the
 * player is behind, once a tick to check on it, when the frame handler is only told that the player is behind.
 * Both are platform threads, so that a GPU context made current on one stays there.
 *
 * <p>In managed mode ({@link CanvasRendering}) the render thread draws into one of the playback's
 * {@link ManagedCanvases} with the canvas render handler and converts it for the encoder ({@code prepare}); the
 * frame thread encodes the newest finished canvas with the stream's encoder, shows the frame to the encoded frame
 * handler, if any, and sends it with the stamp of the render that drew it.
 */
public final class StreamPlayback {

    private static final System.Logger LOG = System.getLogger(StreamPlayback.class.getName());

    private final PlaybackSource source;
    private final io.rendercast.rtmp.Stream stream;
    private final FrameSink sender;
    private final FrameOut out;
    private final Thread renderThread;
    private final Thread frameThread;
    private final RenderTicks ticks = new RenderTicks();
    private volatile boolean running = true;
    private volatile boolean paused;
    private final PlayerWatch watch;
    /** How often a player that is behind is checked on while rendering idles. */
    private static final double BEHIND_CHECKS_PER_SECOND = 5;
    private final RenderBudget budget;
    /** When the playback began: older playbacks get their turns at rendering and encoding first. */
    private final long startedNanos = System.nanoTime();
    private final ManagedFrames managedFrames;
    private boolean frameThreadDone; // guarded by this
    private final List<VideoEncoder> closeWhenDone = new ArrayList<>(); // guarded by this

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
        this.managedFrames = new ManagedFrames(source);
        this.watch = new PlayerWatch(sender, source, maxBehind);
        String suffix = threadSuffix;
        this.renderThread = Thread.ofPlatform().daemon().name("rtmp-render-" + suffix).unstarted(this::renderLoop);
        this.frameThread = Thread.ofPlatform().daemon().name("rtmp-frame-" + suffix).unstarted(this::frameLoop);
    }

    public void start() {
        if (source.canvasRendering() != null && (source.renderHandler() != null || source.frameHandler() != null)) {
            ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: renders into managed canvases: its render and "
                    + "frame handlers are not called", stream);
        }
        // Registered here, after any earlier playback's stop, so that a late thread of that one cannot take it.
        source.renderRequest().wakes(renderThread);
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
        ticks.wake();
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

    /** The frame thread did not finish in time: {@code encoder} (one of those it used) is closed once it does. */
    synchronized void closeWhenFrameThreadDone(VideoEncoder encoder) {
        if (frameThreadDone) {
            encoder.close();
        } else {
            closeWhenDone.add(encoder);
        }
    }

    private void renderLoop() {
        try {
            renderFrames();
        } finally {
            CanvasRendering managed = source.canvasRendering();
            RenderHandler handler = source.renderHandler();
            if (managed != null) {
                HandlerCalls.call(stream, "canvas render handler's renderStopped", () -> {
                    managed.handler().renderStopped(stream);
                    return null;
                }, null);
            } else if (handler != null) {
                HandlerCalls.call(stream, "render handler's renderStopped", () -> {
                    handler.renderStopped(stream);
                    return null;
                }, null);
            }
        }
    }

    /** What one render tick did. */
    private enum Render {
        /** A frame was rendered: the frame thread frames it. */
        RENDERED,
        /** Nothing was rendered: no render handler, or the player is behind and rendering idles. */
        IDLE,
        /** The playback ends. */
        ENDED
    }

    private void renderFrames() {
        RenderRequest request = source.renderRequest();
        try {
            renderOnTicks(request);
        } finally {
            request.wakesNoLonger(Thread.currentThread());
        }
    }

    private void renderOnTicks(RenderRequest request) {
        double millis = 0;
        long next = sender.clockZeroNanos(); // the first render is late by the threads' start; the ticks after are not
        long early = 0; // how long before its tick this render runs, pulled forward by a request
        int lastTimestamp = -1;
        while (running) {
            double rate = source.renderRate();
            long period = (long) (TimeUnit.SECONDS.toNanos(1) / rate);
            long periods = 1;
            if (!paused) {
                // A request from before this render is answered by it: the render reads what the input changed.
                request.take();
                int timestamp = Math.max(lastTimestamp + 1, (int) Math.round(millis - early / 1e6));
                lastTimestamp = timestamp;
                Render render = render(timestamp);
                if (render == Render.ENDED) {
                    return;
                }
                // The frame thread is woken for a render, and once a tick while the player is behind, to check on
                // it; never to frame a render twice.
                if (render == Render.RENDERED || watch.isBehind()) {
                    boolean replaced = ticks.tick(timestamp, render == Render.RENDERED);
                    // In managed mode the frame thread takes canvases, not ticks: the canvases count what is
                    // replaced.
                    if (replaced && source.canvasRendering() == null) {
                        source.countReplaced();
                    }
                }
                if (render == Render.IDLE && watch.isBehind()) {
                    // Idle behind a player, both threads wake a few times a second, not every tick: two hundred
                    // stalled players woke them twelve thousand times a second, and a playing stream beside them
                    // lost ticks to the scheduler. The ticks passed over are dropped frames all the same.
                    periods = Math.max(1, Math.round(rate / BEHIND_CHECKS_PER_SECOND));
                    for (long skipped = 1; skipped < periods; skipped++) {
                        source.countDropped();
                    }
                }
            }
            next += periods * period;
            millis += periods * 1000 / rate;
            early = 0;
            long now = System.nanoTime();
            if (now - next > period) {
                // Rendering overran: skip the missed ticks rather than burst to catch up; the clock keeps them.
                long missed = (now - next) / period;
                next += missed * period;
                millis += missed * 1000 / rate;
            }
            while (running && (now = System.nanoTime()) < next) {
                // A request pulls the next tick forward, unless it was pulled already (then it is more than a
                // period away): the clock keeps its ticks, so the rate holds however often input comes. A request
                // that cannot pull stays asked, so that further asks do not wake this thread for nothing: it is
                // taken once the tick may be pulled, or by the next render.
                boolean mayPull = !paused && !watch.isBehind();
                if (mayPull && next - now <= period && request.take()) {
                    early = next - now;
                    break;
                }
                LockSupport.parkNanos(mayPull && next - now > period ? next - period - now : next - now);
            }
        }
    }

    /** One tick's render, by the application's own render handler or into a managed canvas. */
    private Render render(int timestamp) {
        CanvasRendering managed = source.canvasRendering();
        RenderHandler handler = source.renderHandler();
        if (managed == null && handler == null) {
            return Render.IDLE;
        }
        // While the player is behind nothing is encoded for it: rendering idles, unless the handler says.
        if (watch.isBehind() && !(managed != null ? managed.handler().renderWhilePlayerBehind(stream)
                : handler.renderWhilePlayerBehind(stream))) {
            return Render.IDLE;
        }
        // Managed mode: the handler draws into a free canvas of the playback's own, which is then converted for
        // the encoder here, so that the frame thread only encodes, and becomes the newest.
        if (managed != null && managedFrames.needsCanvases(managed)
                && budget.setUp(() -> {
                    managedFrames.setUpCanvases(managed);
                    return Boolean.TRUE;
                }, () -> running) == null) {
            return Render.ENDED;
        }
        boolean rendered = inTurn(managed != null ? () -> managedFrames.draw(managed, timestamp)
                : () -> HandlerCalls.callToGoOn(stream, "render handler", () -> handler.handle(stream)));
        if (!rendered) {
            return Render.ENDED;
        }
        source.metrics().frameRendered();
        return Render.RENDERED;
    }

    /**
     * Runs {@code step} holding a turn of the render budget. False, the playback ending, when no turn came because
     * it stopped, or when {@code step} returned why the stream must stop.
     */
    private boolean inTurn(Supplier<String> step) {
        if (!budget.acquire(startedNanos, () -> running)) {
            return false;
        }
        String failed;
        try {
            failed = step.get();
        } finally {
            budget.release();
        }
        if (failed != null) {
            requestStop(failed);
            return false;
        }
        return true;
    }

    private void frameLoop() {
        try {
            int tick;
            while ((tick = ticks.await(() -> running)) >= 0) {
                if (paused) {
                    continue;
                }
                sender.adaptBitrate();
                CanvasRendering managed = source.canvasRendering();
                if (!(managed != null ? frameManaged() : frame(tick))) {
                    return;
                }
            }
        } finally {
            frameThreadDone();
        }
    }

    /** Checks on the player; once it has been behind for longer than allowed, it is closed and the playback ends. */
    private Player checkPlayer() {
        Player player = watch.check();
        if (player == Player.GONE && running) {
            running = false;
            String why = watch.whyGone();
            ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: closing: {1}", stream, why);
            source.closeBehindPlayer(this, why);
        }
        return player;
    }

    /** The application's frame handler, for the newest render not yet framed. False: the playback ends. */
    private boolean frame(int tick) {
        FrameHandler handler = source.frameHandler();
        if (handler == null) {
            return true;
        }
        Player player = checkPlayer();
        if (player == Player.GONE) {
            return false;
        }
        boolean full = player == Player.BEHIND;
        if (full) {
            watch.markGap(); // the application's encoder may have advanced past what the player will get
        }
        int timestamp = tick;
        if (!full) {
            // A render is framed once; one the player had no room for is framed when it catches up.
            timestamp = ticks.takeUnframed();
            if (timestamp < 0) {
                return true;
            }
        }
        // A player that is behind gets a call that returns at once: it takes no turn.
        if (!full && !budget.acquire(startedNanos, () -> running)) {
            return false;
        }
        out.open(timestamp, full);
        String failed;
        long started = System.nanoTime();
        try {
            failed = HandlerCalls.callToGoOn(stream, "frame handler", () -> handler.handle(stream, out, full));
        } finally {
            out.close();
            if (!full) {
                budget.release();
            }
        }
        if (!full) {
            source.metrics().frameHandlerTook(System.nanoTime() - started);
        }
        if (failed != null) {
            requestStop(failed);
            return false;
        }
        return true;
    }

    /**
     * Managed mode's frame: the newest finished canvas, if one was finished since the last, is encoded by the
     * stream's encoder, shown to the encoded frame handler and sent. Nothing while the player is behind. False:
     * the playback ends.
     */
    private boolean frameManaged() {
        Player player = checkPlayer();
        if (player == Player.GONE) {
            return false;
        }
        if (player == Player.BEHIND || !managedFrames.hasNewest()) {
            return true;
        }
        if (sender.leavesOutFrame()) {
            source.countDropped();
            return true;
        }
        if (managedFrames.needsEncoder()) {
            String failed = budget.setUp(managedFrames::setUpEncoder, () -> running);
            if (failed != null || !running) {
                requestStop(failed);
                return false;
            }
        }
        return inTurn(() -> {
            long started = System.nanoTime();
            String failed = managedFrames.encodeNewest(source.encodedFrameHandler(), sender);
            source.metrics().frameHandlerTook(System.nanoTime() - started);
            return failed;
        });
    }

    private synchronized void frameThreadDone() {
        frameThreadDone = true;
        for (VideoEncoder encoder : closeWhenDone) {
            encoder.close();
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
