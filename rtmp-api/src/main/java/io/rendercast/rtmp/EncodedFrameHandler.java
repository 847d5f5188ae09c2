package io.rendercast.rtmp;

import io.rendercast.video.VideoData;

/**
 * Sees each frame the server encodes for a stream in managed mode ({@link Stream#registerCanvasRenderHandler}),
 * before it is sent, and decides whether it is. Optional: without one, every frame is sent.
 *
 * <p>Called on the stream's own frame thread, right after the server encoded the newest finished canvas: once per
 * frame the encoder gives back, never for an empty result, and never while the player is behind (nothing is
 * encoded then). Not called for a stream that is not in managed mode.
 */
@FunctionalInterface
public interface EncodedFrameHandler {

    /**
     * Inspects a frame and says whether to send it.
     *
     * @param frame the encoded frame, which goes out stamped with the render tick of the canvas it was encoded
     *              from; its bytes may be the encoder's own memory, valid only until the handler returns
     *              ({@link VideoData#copy()} keeps them), and must not be changed
     * @return {@code true} to send the frame; {@code false} to drop it, after which the server asks the encoder for
     * a key frame and sends nothing until one comes (the frames after a dropped one refer to it)
     * @throws Exception to stop the stream; the reason is logged once, other streams go on
     */
    boolean handle(Stream stream, VideoData frame) throws Exception;
}
