package io.rendercast.rtmp.server.playback;

import java.util.function.BooleanSupplier;

/**
 * The hand-off from a playback's render thread to its frame thread: the ticks of the frame clock, and the newest
 * render not yet framed. A render is framed once; a tick without one only wakes the frame thread to check on a
 * player that is behind.
 */
final class RenderTicks {

    // Guarded by this.
    private int unframed = -1;
    private boolean ticked;
    private int tickTimestamp;

    /**
     * On the render thread: a tick stamped {@code timestamp}, with a render of it or without one. Returns whether
     * the render replaced one the frame thread had not framed yet, which is then never framed.
     */
    synchronized boolean tick(int timestamp, boolean rendered) {
        boolean replaced = rendered && unframed >= 0;
        if (rendered) {
            unframed = timestamp;
        }
        tickTimestamp = timestamp;
        ticked = true;
        notifyAll();
        return replaced;
    }

    /** Wakes the frame thread to see that the playback stops. */
    synchronized void wake() {
        notifyAll();
    }

    /** On the frame thread: waits for a tick it has not seen and returns its stamp; -1 once stopped. */
    synchronized int await(BooleanSupplier running) {
        while (running.getAsBoolean() && !ticked) {
            try {
                wait();
            } catch (InterruptedException e) {
                return -1;
            }
        }
        ticked = false;
        return running.getAsBoolean() ? tickTimestamp : -1;
    }

    /** The stamp of the newest render not yet framed, now framed; -1 when there is none. */
    synchronized int takeUnframed() {
        int timestamp = unframed;
        unframed = -1;
        return timestamp;
    }
}
