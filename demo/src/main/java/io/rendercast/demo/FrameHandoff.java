package io.rendercast.demo;

/**
 * Hands each finished frame from the render thread to the frame thread, for the demo's own render and frame
 * handlers (frames in GPU memory, or a canvas for the demo's own encoder). Three buffers, so that neither thread
 * waits: one being drawn, the newest finished one, and one being encoded. A stream in managed mode needs none of
 * this: the server does it.
 */
final class FrameHandoff<C> {

    private static final int NONE = -1;

    private final Object[] buffers;
    private int drawing = NONE;
    private int newest = NONE; // finished and not yet taken for encoding
    private int encoding = NONE;

    FrameHandoff(C first, C second, C third) {
        buffers = new Object[] {first, second, third};
    }

    /** A buffer that is neither the newest finished one nor being encoded. */
    synchronized C beginDraw() {
        for (int i = 0; i < buffers.length; i++) {
            if (i != newest && i != encoding) {
                drawing = i;
                return buffer(i);
            }
        }
        throw new IllegalStateException("no free buffer: one is drawn at a time");
    }

    /** The buffer from {@link #beginDraw()} is finished: it becomes the newest. */
    synchronized void finishDraw() {
        newest = drawing;
        drawing = NONE;
    }

    /** The buffer from {@link #beginDraw()} holds no new frame: the newest stays what it was. */
    synchronized void cancelDraw() {
        drawing = NONE;
    }

    /**
     * The newest finished buffer, held for encoding until {@link #finishEncode()}; null when none was finished
     * since the last one taken, so that no frame is encoded twice.
     */
    synchronized C beginEncode() {
        if (newest == NONE) {
            return null;
        }
        encoding = newest;
        newest = NONE;
        return buffer(encoding);
    }

    synchronized void finishEncode() {
        encoding = NONE;
        notifyAll();
    }

    /** Waits, up to {@code millis}, until no buffer is being encoded: before the buffers' memory is freed. */
    synchronized boolean awaitNoEncode(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (encoding != NONE) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private C buffer(int index) {
        return (C) buffers[index];
    }
}
