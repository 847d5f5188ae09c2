package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.EncodedFrameHandler;
import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.video.RgbaCanvas;

/**
 * What a {@link StreamPlayback} plays: the stream its handlers are given and read from, and who is told when
 * the playback asks to end. A player's own stream ({@link ServerStream}) or a broadcast's shared one.
 */
public interface PlaybackSource {

    /** The stream passed to the render and frame handlers. */
    Stream stream();

    RenderHandler renderHandler();

    FrameHandler frameHandler();

    /** Managed mode, or null when the stream is not in it. */
    CanvasRendering canvasRendering();

    EncodedFrameHandler encodedFrameHandler();

    double renderRate();

    /** The application's asks for the next render now. */
    RenderRequest renderRequest();

    ServerMetrics metrics();

    /** A frame was not sent. */
    void countDropped();

    /** A render was replaced by a newer one before the frame thread took it: it is never encoded. */
    void countReplaced();

    /** A handler of {@code from} asked to stop, or threw: end that playback if it still runs. */
    void requestStop(StreamPlayback from, String why);

    /** The player of {@code from} stayed behind too long. */
    void closeBehindPlayer(StreamPlayback from, String why);

    /**
     * In managed mode, on the frame thread: {@code canvas}, just encoded by the stream's encoder and still held,
     * for whoever encodes it once more (a broadcast's lower renditions).
     */
    default void encodeAgain(RgbaCanvas canvas, int timestamp) {
    }
}
