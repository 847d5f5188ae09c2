package io.rendercast.rtmp;

/**
 * Told when the player pauses and resumes a stream.
 *
 * <p>Called on the connection's own thread. While paused no frames are rendered or sent; on resume the next
 * frame sent is a key frame.
 */
@FunctionalInterface
public interface PauseHandler {

    /**
     * Returns {@code true} to accept the pause or resume, {@code false} to refuse it (the player is told).
     *
     * @throws Exception to refuse it, as {@code false} does
     */
    boolean handle(boolean isPause, Stream stream) throws Exception;
}
