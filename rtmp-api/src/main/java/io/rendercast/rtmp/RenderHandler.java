package io.rendercast.rtmp;

/**
 * Renders one frame of a stream.
 *
 * <p>Called once per frame period ({@code render_rate}) on the stream's own render thread, which is the same
 * thread for the whole life of the stream (a GPU context made current there stays current). The canvas it
 * fills is read by the {@link FrameHandler} on another thread, so the two must synchronise.
 */
@FunctionalInterface
public interface RenderHandler {

    /** Renders a frame; returns {@code false} to stop the stream. */
    boolean handle(Stream stream);
}
