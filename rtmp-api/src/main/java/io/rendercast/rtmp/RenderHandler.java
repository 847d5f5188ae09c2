package io.rendercast.rtmp;

/**
 * Renders one frame of a stream.
 *
 * <p>Called once per frame period ({@code render_rate}) on the stream's own render thread, which is the same
 * thread for the whole life of the stream (a GPU context made current there stays current). The canvas it
 * fills is read by the {@link FrameHandler} on another thread, so the two must synchronise. A
 * {@link CanvasRenderHandler} (managed mode) draws into canvases the server owns instead, and needs none of that.
 */
@FunctionalInterface
public interface RenderHandler {

    /**
     * Renders a frame; returns {@code false} to stop the stream.
     *
     * @throws Exception to stop the stream; the reason is logged once, other streams go on
     */
    boolean handle(Stream stream) throws Exception;

    /**
     * Called once on the render thread after the last frame, however the stream stopped: the place to free what
     * belongs to that thread, such as a GPU context made current there. The default does nothing.
     */
    default void renderStopped(Stream stream) throws Exception {
    }

    /**
     * Whether to go on rendering while the stream's player is behind (its out-queue full, so nothing is encoded
     * for it). The default, {@code false}, lets the render loop idle until the player catches up; the clock goes
     * on, and the first frame after is encoded from the last render if that one was not sent, else from the next
     * render. Called on the render thread.
     */
    default boolean renderWhilePlayerBehind(Stream stream) {
        return false;
    }
}
