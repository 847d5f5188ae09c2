package io.rendercast.rtmp.server.playback;

import io.rendercast.video.RgbaCanvas;

/**
 * The three canvases of a playback in managed mode, passed between its render thread and its frame thread so that
 * neither waits for the other: one being drawn, the newest finished one, and one being encoded. The render thread
 * always gets a canvas that is neither of the other two; the frame thread takes the newest finished canvas once,
 * so no canvas is encoded twice for one drawing. Each method holds the lock only while a canvas changes hands.
 */
final class ManagedCanvases {

    private static final int NONE = -1;

    private final RgbaCanvas[] canvases;
    private final int[] timestamps = new int[3];
    private int drawing = NONE;
    private int newest = NONE; // finished and not yet taken for encoding
    private int encoding = NONE;
    private int encodingTimestamp;

    ManagedCanvases(int width, int height) {
        canvases = new RgbaCanvas[] {
            new RgbaCanvas(width, height), new RgbaCanvas(width, height), new RgbaCanvas(width, height)};
    }

    int width() {
        return canvases[0].resolutionX();
    }

    int height() {
        return canvases[0].resolutionY();
    }

    /** Whether these are canvases of this size. */
    boolean fit(int width, int height) {
        return canvases[0].resolutionX() == width && canvases[0].resolutionY() == height;
    }

    /** On the render thread: a canvas that is neither the newest finished one nor being encoded. */
    synchronized RgbaCanvas beginDraw() {
        for (int i = 0; i < canvases.length; i++) {
            if (i != newest && i != encoding) {
                drawing = i;
                return canvases[i];
            }
        }
        throw new IllegalStateException("no free canvas: one is drawn at a time");
    }

    /**
     * The canvas from {@link #beginDraw()} is finished, drawn for the render tick {@code timestamp}: it becomes
     * the newest, and a newest one the frame thread had no time for is drawn over later. Returns whether it
     * replaced such a one, which is then never encoded.
     */
    synchronized boolean finishDraw(int timestamp) {
        boolean replaced = newest != NONE;
        timestamps[drawing] = timestamp;
        newest = drawing;
        drawing = NONE;
        return replaced;
    }

    /** The canvas from {@link #beginDraw()} holds no frame: the newest stays what it was. */
    synchronized void cancelDraw() {
        drawing = NONE;
    }

    /** Whether a finished canvas waits to be encoded. Only the frame thread takes one, so it stays true for it. */
    synchronized boolean hasNewest() {
        return newest != NONE;
    }

    /**
     * On the frame thread: the newest finished canvas, held for encoding until {@link #finishEncode()}, and no
     * longer the newest; null when none was finished since the last one taken.
     */
    synchronized RgbaCanvas beginEncode() {
        if (newest == NONE) {
            return null;
        }
        encoding = newest;
        encodingTimestamp = timestamps[encoding];
        newest = NONE;
        return canvases[encoding];
    }

    /** The render tick of the canvas from {@link #beginEncode()}. */
    synchronized int encodingTimestamp() {
        return encodingTimestamp;
    }

    /** The canvas from {@link #beginEncode()} is encoded: the render thread may draw into it again. */
    synchronized void finishEncode() {
        encoding = NONE;
    }
}
