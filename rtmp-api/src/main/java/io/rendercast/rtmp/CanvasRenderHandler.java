package io.rendercast.rtmp;

import io.rendercast.video.RgbaCanvas;

/**
 * Draws one frame of a stream into a canvas the server owns: the stream's managed mode, registered with
 * {@link Stream#registerCanvasRenderHandler}. The server does the rest: it converts the finished canvas for the
 * encoder on this thread, encodes the newest finished canvas on the stream's frame thread, and sends it. Nothing
 * needs a lock.
 *
 * <p>Called once per frame period ({@code render_rate}) on the stream's own render thread, which is the same
 * thread for the whole life of the stream (a GPU context made current there stays current). The canvas, of the
 * size given at registration, is the handler's alone until it returns: no other thread reads it meanwhile. It is
 * one of three that take turns, so it holds a frame drawn a few renders before (transparent black at first):
 * draw the whole picture each time.
 */
@FunctionalInterface
public interface CanvasRenderHandler {

    /**
     * Draws a frame into {@code canvas}, never null; returns {@code false} to stop the stream. The canvas must not
     * be kept or touched after the handler returns.
     *
     * @throws Exception to stop the stream; the reason is logged once, other streams go on
     */
    boolean render(Stream stream, RgbaCanvas canvas) throws Exception;

    /**
     * Called once on the render thread after the last frame, however the stream stopped: the place to free what
     * belongs to that thread. The default does nothing.
     */
    default void renderStopped(Stream stream) throws Exception {
    }

    /**
     * Whether to go on drawing while the stream's player is behind (its out-queue full, so nothing is encoded for
     * it). The default, {@code false}, lets the render loop idle until the player catches up; the clock goes on.
     * Called on the render thread.
     */
    default boolean renderWhilePlayerBehind(Stream stream) {
        return false;
    }
}
