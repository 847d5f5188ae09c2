package io.rendercast.demo;

import io.rendercast.video.RgbaCanvas;

/**
 * Three canvases passed between the render thread and the frame thread, so that neither waits for the other:
 * the renderer always has a free canvas to draw into, and the encoder always takes the newest finished one.
 * Host canvases ({@link RgbaCanvas}) or NV12 buffers in GPU memory alike.
 */
final class CanvasExchange<C> {

    private final Object[] canvases;
    private final long[] frameNumbers = new long[3];
    private int latest = -1;
    private int encoding = -1;
    private int rendering = -1;

    CanvasExchange(C first, C second, C third) {
        canvases = new Object[] {first, second, third};
    }

    /** Three host canvases of a size. */
    static CanvasExchange<RgbaCanvas> rgba(int width, int height) {
        return new CanvasExchange<>(new RgbaCanvas(width, height), new RgbaCanvas(width, height),
                new RgbaCanvas(width, height));
    }

    /** A canvas that is neither the newest finished one nor being encoded. */
    synchronized C beginRender() {
        for (int i = 0; i < 3; i++) {
            if (i != latest && i != encoding) {
                rendering = i;
                return canvas(i);
            }
        }
        throw new IllegalStateException("no free canvas");
    }

    /** The canvas from {@link #beginRender()} is finished: it becomes the newest. */
    synchronized void finishRender(long frameNumber) {
        frameNumbers[rendering] = frameNumber;
        latest = rendering;
        rendering = -1;
    }

    /** The canvas from {@link #beginRender()} holds no new frame: the newest stays what it was. */
    synchronized void cancelRender() {
        rendering = -1;
    }

    /** The newest finished canvas, held for encoding until {@link #finishEncode()}; null before the first. */
    synchronized C beginEncode() {
        encoding = latest;
        return latest < 0 ? null : canvas(latest);
    }

    /** The frame number of the canvas being encoded. */
    synchronized long encodingFrameNumber() {
        return encoding < 0 ? -1 : frameNumbers[encoding];
    }

    synchronized void finishEncode() {
        encoding = -1;
        notifyAll();
    }

    /** Waits, up to {@code millis}, until no canvas is being encoded: before the canvases' memory is freed. */
    synchronized boolean awaitNoEncode(long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (encoding >= 0) {
            long left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @SuppressWarnings("unchecked")
    private C canvas(int index) {
        return (C) canvases[index];
    }
}
