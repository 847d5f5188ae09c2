package io.rendercast.rtmp;

import io.rendercast.video.VideoData;
import java.util.function.Consumer;

/**
 * Encodes the last rendered frame and hands it to the server to send.
 *
 * <p>Called on the stream's own frame thread after each render, and only then: a render is framed once (no call
 * without a render handler, or while rendering idles). When renders come faster than frames are encoded, the
 * frame thread skips to the newest render rather than falling behind. While the player is behind, it is also
 * called once per frame period with {@code outQueueIsFull}, rendered or not. Not called in managed mode
 * ({@link Stream#registerCanvasRenderHandler}).
 */
@FunctionalInterface
public interface FrameHandler {

    /**
     * Encodes a frame, usually with {@code stream.videoEncoder().encode(canvas)}, and gives it to {@code out}.
     *
     * <p>When {@code outQueueIsFull} is true the player is behind: the handler should return at once without
     * encoding; the server sends nothing more until the player catches up, and then asks the encoder for a
     * key frame.
     *
     * <p>{@code out} takes at most one frame per call, on this thread, before the handler returns; it copies the
     * frame's bytes before it returns, so a buffer the encoder reuses is safe to pass. Anything else (a second
     * frame, another thread, a call after the handler returned) throws {@link IllegalStateException}. The frame
     * is stamped with the render tick of the canvas the handler was called for: the first at 0 ms, each next a
     * whole number of frame periods later.
     *
     * @return {@code false} to stop the stream
     * @throws Exception to stop the stream; the reason is logged once, other streams go on
     */
    boolean handle(Stream stream, Consumer<VideoData> out, boolean outQueueIsFull) throws Exception;
}
