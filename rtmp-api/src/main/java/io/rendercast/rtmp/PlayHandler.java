package io.rendercast.rtmp;

import io.rendercast.video.VideoData;
import java.util.function.Consumer;

/**
 * Told when a stream starts and stops playing.
 *
 * <p>Called on the connection's own thread. Without a play handler, play is allowed.
 */
@FunctionalInterface
public interface PlayHandler {

    /**
     * On start ({@code isStart == true}) returning {@code true} starts the render loop at the stream's
     * {@code render_rate}; {@code false} refuses and the player gets {@code NetStream.Play.Failed}. On stop the
     * loop has ended and the result is ignored.
     *
     * @param out takes data to send, on this thread before the handler returns: on start before the first frame,
     *            on stop after the last one (and after what the encoder still held)
     * @throws Exception on start, to refuse as {@code false} does; on stop, it is logged
     */
    boolean handle(boolean isStart, Stream stream, Consumer<VideoData> out) throws Exception;
}
