package io.rendercast.rtmp.server.session;

import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.video.VideoData;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * The two threads of a playing stream.
 *
 * <p>The render thread ({@code rtmp-render-C-S}) calls the render handler once per frame period and signals the
 * frame thread; it never waits on the frame thread or the network. The frame thread ({@code rtmp-frame-C-S})
 * calls the frame handler for the newest render (renders it had no time for are skipped, not queued) and hands
 * the frame to the {@link VideoSender}. Both stop when either handler returns false or throws.
 */
final class StreamPlayback {

    private static final System.Logger LOG = System.getLogger(StreamPlayback.class.getName());
    private static final long JOIN_TIMEOUT_MILLIS = 5_000;
    private static final Consumer<VideoData> DISCARD = frame -> { };

    private final ServerStream stream;
    private final VideoSender sender;
    private final Consumer<VideoData> toPlayer;
    private final Thread renderThread;
    private final Thread frameThread;
    private final Object renderSignal = new Object();
    private volatile boolean running = true;
    private volatile boolean paused;
    private boolean renderPending; // guarded by renderSignal
    private volatile boolean stopRequested;

    StreamPlayback(ServerConnection connection, ServerStream stream, VideoSender sender) {
        this.stream = stream;
        this.sender = sender;
        this.toPlayer = sender::sendFrame;
        String suffix = connection.id() + "-" + stream.id();
        this.renderThread = new Thread(this::renderLoop, "rtmp-render-" + suffix);
        this.frameThread = new Thread(this::frameLoop, "rtmp-frame-" + suffix);
        renderThread.setDaemon(true);
        frameThread.setDaemon(true);
    }

    void start() {
        renderThread.start();
        frameThread.start();
    }

    void setPaused(boolean paused) {
        this.paused = paused;
    }

    /** Stops both threads and waits for them; called on the connection thread, never on theirs. */
    void stop() {
        running = false;
        synchronized (renderSignal) {
            renderSignal.notifyAll();
        }
        LockSupport.unpark(renderThread);
        join(renderThread);
        join(frameThread);
    }

    private void join(Thread thread) {
        try {
            thread.join(JOIN_TIMEOUT_MILLIS);
            if (thread.isAlive()) {
                LOG.log(System.Logger.Level.WARNING, "{0} did not finish its handler within {1} ms of the stop; "
                        + "interrupting it", thread.getName(), JOIN_TIMEOUT_MILLIS);
                thread.interrupt();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void renderLoop() {
        try {
            renderFrames();
        } finally {
            RenderHandler handler = stream.renderHandler();
            if (handler != null) {
                try {
                    handler.renderStopped(stream);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.WARNING, stream + ": render handler failed to clean up", e);
                }
            }
        }
    }

    private void renderFrames() {
        long next = System.nanoTime();
        try {
            while (running) {
                long period = (long) (TimeUnit.SECONDS.toNanos(1) / stream.renderRate());
                if (!paused) {
                    RenderHandler handler = stream.renderHandler();
                    if (handler != null && !handler.handle(stream)) {
                        requestStop("the render handler returned false");
                        return;
                    }
                    synchronized (renderSignal) {
                        renderPending = true;
                        renderSignal.notifyAll();
                    }
                }
                next += period;
                long now = System.nanoTime();
                if (now - next > period) {
                    next = now; // rendering overran: skip the missed periods rather than burst to catch up
                }
                while (running && (now = System.nanoTime()) < next) {
                    LockSupport.parkNanos(next - now);
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, stream + ": render handler threw; stopping the stream", e);
            requestStop("the render handler threw");
        }
    }

    private void frameLoop() {
        try {
            while (awaitRender()) {
                FrameHandler handler = stream.frameHandler();
                if (handler == null || paused) {
                    continue;
                }
                boolean ok;
                if (sender.isFull()) {
                    sender.markGap();
                    stream.countDropped();
                    ok = handler.handle(stream, DISCARD, true);
                } else {
                    ok = handler.handle(stream, toPlayer, false);
                }
                if (!ok) {
                    requestStop("the frame handler returned false");
                    return;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, stream + ": frame handler threw; stopping the stream", e);
            requestStop("the frame handler threw");
        }
    }

    /** Waits for a render not yet encoded; false once stopped. */
    private boolean awaitRender() {
        synchronized (renderSignal) {
            while (running && !renderPending) {
                try {
                    renderSignal.wait();
                } catch (InterruptedException e) {
                    return false;
                }
            }
            renderPending = false;
            return running;
        }
    }

    private void requestStop(String why) {
        if (!stopRequested) {
            stopRequested = true;
            running = false;
            LOG.log(System.Logger.Level.INFO, "{0}: stopping: {1}", stream, why);
            stream.requestStop();
        }
    }
}
