package io.rendercast.rtmp.server.playback;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * An application's ask for the next render now ({@link io.rendercast.rtmp.Stream#requestRender}), kept by the
 * stream across its playbacks: a flag, and the render thread to wake. Asks before a render are folded into it; an
 * ask that comes while a render runs pulls one more, which may show nothing new if that render had already read
 * what the input changed (the server cannot tell).
 */
public final class RenderRequest {

    private final AtomicBoolean asked = new AtomicBoolean();
    private volatile Thread renderThread;

    /**
     * From any thread: costs a flag and, until the render thread takes it, nothing more; one unpark a render at
     * most, however often it is called.
     */
    void ask() {
        if (!asked.getAndSet(true)) {
            Thread thread = renderThread;
            if (thread != null) {
                LockSupport.unpark(thread);
            }
        }
    }

    /** As a playback starts, after the one before stopped: the thread {@link #ask} wakes. */
    void wakes(Thread thread) {
        renderThread = thread;
    }

    /** On the render thread as it ends: no one to wake, unless a later playback's thread has taken its place. */
    void wakesNoLonger(Thread thread) {
        if (renderThread == thread) {
            renderThread = null;
        }
    }

    /** On the render thread: whether an ask came since the last take, clearing it. */
    boolean take() {
        return asked.getAndSet(false);
    }
}
