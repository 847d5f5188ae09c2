package io.rendercast.demo;

import io.rendercast.video.RgbaCanvas;

/**
 * Three canvases passed between the render thread and the frame thread, so that neither waits for the other:
 * the renderer always has a free canvas to draw into, and the encoder always takes the newest finished one.
 */
final class CanvasExchange {

    private final RgbaCanvas[] canvases;
    private final long[] frameNumbers = new long[3];
    private int latest = -1;
    private int encoding = -1;
    private int rendering = -1;

    CanvasExchange(int width, int height) {
        canvases = new RgbaCanvas[] {new RgbaCanvas(width, height), new RgbaCanvas(width, height),
                new RgbaCanvas(width, height)};
    }

    /** A canvas that is neither the newest finished one nor being encoded. */
    synchronized RgbaCanvas beginRender() {
        for (int i = 0; i < 3; i++) {
            if (i != latest && i != encoding) {
                rendering = i;
                return canvases[i];
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
    synchronized RgbaCanvas beginEncode() {
        encoding = latest;
        return latest < 0 ? null : canvases[latest];
    }

    /** The frame number of the canvas being encoded. */
    synchronized long encodingFrameNumber() {
        return encoding < 0 ? -1 : frameNumbers[encoding];
    }

    synchronized void finishEncode() {
        encoding = -1;
    }
}
