package io.rendercast.rtmp;

import java.util.List;

/**
 * Told when a stream is created (the client plays it) and when it is deleted.
 *
 * <p>Called on the connection's own thread.
 */
@FunctionalInterface
public interface StreamEventHandler {

    /**
     * On create ({@code isCreate == true}) the handler usually picks a codec with {@link Stream#useCodec},
     * sets {@code render_rate} and registers the stream's render and frame handlers; returning {@code false}
     * refuses the stream and the player gets {@code NetStream.Play.Failed}. On delete the result is ignored.
     *
     * @param arguments the arguments of the {@code play} command (stream name, start, ...), never null
     * @throws Exception on create, to refuse the stream as {@code false} does; on delete, it is logged
     */
    boolean handle(boolean isCreate, Stream stream, List<Object> arguments) throws Exception;
}
