package io.rendercast.rtmp;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;

/**
 * A stream that a player plays: rendered by its {@link RenderHandler}, encoded by its {@link FrameHandler}.
 *
 * <p>Thread-safe.
 */
public interface Stream {

    /** The reserved property: frames rendered per second, a number above 0 and at most 240. Default 30. */
    String RENDER_RATE = "render_rate";

    /** The stream's id within its connection (the RTMP message stream id). */
    int id();

    /** The name the player gave to {@code play}. */
    String streamName();

    /** The connection the stream belongs to; {@code null} for a {@link Broadcast}'s shared stream. */
    Connection connection();

    /**
     * Picks the stream's video codec: {@code "h264"} (FLV codec 7), {@code "sorenson"} (codec 2) or
     * {@code "screen video"} (codec 3). The stream creates and owns an encoder for it, from the provider chosen
     * at run time (system property {@code rendercast.encoder}, {@code auto} by default), and packages what it
     * encodes as the player expects. Without a codec, the frame handler's data goes out as it is.
     *
     * @throws VideoEncoderException when no provider can encode that codec here, with the reason
     * @throws IllegalStateException when the stream is already playing
     */
    void useCodec(String codec) throws VideoEncoderException;

    /** The encoder created by {@link #useCodec}, or {@code null} when none was chosen. */
    VideoEncoder videoEncoder();

    /** A snapshot of this stream's frame counters. */
    StreamStatistics statistics();

    /** Registers the render handler; {@code null} removes it. */
    void registerRenderHandler(RenderHandler handler);

    /** Registers the frame handler; {@code null} removes it. */
    void registerFrameHandler(FrameHandler handler);

    /** Registers the play handler; {@code null} removes it (play is then allowed). */
    void registerPlayHandler(PlayHandler handler);

    /** Registers the pause handler; {@code null} removes it (pause is then allowed). */
    void registerPauseHandler(PauseHandler handler);

    /**
     * Sets a property: {@link #RENDER_RATE}, or an application key starting with {@code user_}.
     *
     * @return {@link PropertyResult#NO_SUCH_PROPERTY} for other keys, {@link PropertyResult#INVALID_VALUE} for
     * a render rate that is not a number in (0, 240]
     */
    PropertyResult setProperty(String key, Object value);

    /** The value of a property, or {@code null} when it is not set. */
    Object getProperty(String key);
}
