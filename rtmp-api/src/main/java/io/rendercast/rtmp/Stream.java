package io.rendercast.rtmp;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;

/**
 * A stream that a player plays, rendered and encoded one of two ways:
 * <ul>
 * <li>managed: a {@link CanvasRenderHandler} draws into canvases the server owns, and the server converts, encodes
 * and sends them ({@link #registerCanvasRenderHandler}); the way to start, and the faster one, since each canvas
 * is converted on the render thread while the frame thread encodes the one before;</li>
 * <li>the application's own: a {@link RenderHandler} renders into what the application owns and a
 * {@link FrameHandler} encodes it, for full control (its own canvases, GPU memory, its own encoder), the two
 * handlers sharing what they use across threads.</li>
 * </ul>
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

    /**
     * Sets how the encoder's bit rate follows the player's path ({@link BitratePolicy}); null restores the
     * default, which adapts below the bit rate the encoder was set to. Takes effect at the next frame. A
     * broadcast's encoder serves every player at once, so its bit rate follows no one player's path.
     */
    void setBitratePolicy(BitratePolicy policy);

    /**
     * Asks for the next render now rather than at the next tick of the frame clock: call it when input changes
     * what the player will see, and the player sees it up to a frame period sooner (half a period on average). The
     * tick it pulls forward is not rendered again: the render after it runs at the tick after that, so the stream
     * renders no more frames than its render rate, one period at most pulled forward at a time, and asks that come
     * before that period has passed wait for the next tick. Any thread; does nothing while the stream is paused, its
     * player is behind, or it does not play.
     */
    void requestRender();

    /** Registers the render handler; {@code null} removes it. Not called in managed mode. */
    void registerRenderHandler(RenderHandler handler);

    /** Registers the frame handler; {@code null} removes it. Not called in managed mode. */
    void registerFrameHandler(FrameHandler handler);

    /**
     * Puts the stream in managed mode, or, with {@code null}, takes it out. The server owns three canvases of
     * {@code width} x {@code height} pixels for each play of the stream. Once per frame period it gives
     * {@code handler} one to draw into, then converts it for the encoder on the render thread
     * ({@link VideoEncoder#prepare}). The frame thread encodes the newest finished canvas with
     * {@link #videoEncoder()}, initialised at this size at the first frame unless the application did, and sends
     * it: through the {@link EncodedFrameHandler}, if one is registered.
     *
     * <p>No canvas is encoded twice, and the handler never gets one that is being encoded, so nothing needs a
     * lock. When the player is behind, nothing is encoded. While a canvas render handler is registered, the
     * {@link RenderHandler} and {@link FrameHandler} are not called; they stay registered, and run again once
     * it is removed. Any thread may call this; it takes effect at the next frame. Keep the size while the stream
     * plays: an encoder initialised at another size refuses the canvases, and the stream stops.
     *
     * <p>Needs a codec ({@link #useCodec}): a stream without one stops at its first frame, with the reason logged.
     *
     * @param width  the canvases' width in pixels, which is the picture's
     * @param height the canvases' height in pixels
     * @throws IllegalArgumentException when {@code handler} is not null and the size is not positive, or too large
     *                                  for one canvas
     */
    void registerCanvasRenderHandler(int width, int height, CanvasRenderHandler handler);

    /**
     * Registers the handler that sees each frame encoded in managed mode and decides whether it is sent;
     * {@code null} removes it, and every frame is then sent.
     */
    void registerEncodedFrameHandler(EncodedFrameHandler handler);

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
