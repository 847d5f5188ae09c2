package io.rendercast.rtmp;

import io.rendercast.video.VideoData;
import java.util.function.Consumer;

/**
 * Encodes the last rendered frame and hands it to the server to send.
 *
 * <p>Called on the stream's own frame thread after each render. When renders come faster than frames are
 * encoded, the frame thread skips to the newest render rather than falling behind.
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
     * @return {@code false} to stop the stream
     */
    boolean handle(Stream stream, Consumer<VideoData> out, boolean outQueueIsFull);
}
