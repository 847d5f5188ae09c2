package io.rendercast.video;

import java.util.List;

/**
 * Encodes canvases into one video codec. Made by a {@link VideoEncoderProvider}.
 *
 * <p>An encoder is used by one thread at a time (the stream's frame thread), except {@link #requestKeyFrame()},
 * which any thread may call.
 */
public interface VideoEncoder {

    /** Parameter name: target bit rate in bits per second. */
    String BITRATE = "bitrate";
    /** Parameter name: frames per second. */
    String FRAMERATE = "framerate";
    /** Parameter name: the encoder's speed/quality preset (x264: ultrafast ... veryslow). */
    String PRESET = "preset";
    /**
     * Parameter name: seconds between the key frames the encoder makes of its own accord (2 unless set); 0 for
     * none after the first, only those asked for ({@link #requestKeyFrame()}). A key frame costs several times a
     * frame that refers to the last, and on a slow link every frame behind it waits while it goes: a player that
     * has its own encoder and a reliable transport needs none but the first. Before {@code init}.
     */
    String KEYFRAME_INTERVAL = "keyframe-interval";
    /**
     * Parameter name, where the codec has it (x264, x265): {@code true} to refresh the picture a column at a time over
     * each {@link #KEYFRAME_INTERVAL} instead of in one key frame (periodic intra refresh). No frame is then much
     * larger than the others, so none holds up those behind it on a slow link, and a player that starts at any
     * frame has a whole picture within the interval; key frames asked for are still key frames. {@code false}
     * unless set; before {@code init}. For a player's own stream: a broadcast's joiners start at a key frame.
     */
    String INTRA_REFRESH = "intra-refresh";
    /**
     * Parameter name, where the codec has profiles to choose (x264, NVENC's H.264): the H.264 profile,
     * {@code baseline} (constrained baseline), {@code main} or {@code high}; {@code high} unless set; before
     * {@code init}. A WebRTC player lists the profiles it decodes (Chromium: constrained baseline and main), and the
     * server sets this for a player's own stream before its encoder opens.
     */
    String PROFILE = "profile";
    /**
     * Parameter name, where the encoder has a rate buffer to size (FFmpeg's encoders: x264, x265, SVT-AV1): its size
     * in seconds at the bit rate, 0.01 to 10 (x264 keeps at least one frame's worth); {@code 1} unless set. The
     * longer, the more a hard frame may take above the rate; the shorter, the sooner a lower {@link #BITRATE} holds
     * (x264 at 1 s still sent 2.3 Mbit/s 0.7 s after a cut from 2.5 to 1.28; at 0.25 s it held at once) and the less
     * of the path any one frame takes. Takes effect at the next change of the bit rate, or at {@code init}. A WebRTC
     * player's own encoder is set to one frame at 30 fps (0.034 s), as its congestion control changes the rate often
     * and it is steered from a browser, where a large frame is time the input waits.
     */
    String RATE_BUFFER = "rate-buffer";

    /** The codec this encoder writes, as {@code Stream.useCodec} names it: {@code "h264"}, ... */
    String identifier();

    /**
     * Sets up the encoder for a resolution.
     *
     * <p>What it returns, the sequence header, is not the caller's to keep when the encoder is a stream's own
     * ({@code Stream.useCodec}, {@code Stream.videoEncoder()}): the server takes it as the encoder opens, sends it
     * before the first frame, and again to a player that joins or resumes later. An encoder the application made
     * itself is the application's: it hands the header to the play handler's {@code out}, which the server sends
     * before the first frame.
     *
     * @return what a player needs before the first frame (H.264: SPS and PPS), possibly empty
     * @throws VideoEncoderException INVALID_PARAMETERS, UNSUPPORTED_RESOLUTION, ALREADY_INITIALIZED,
     *                               NO_DEVICE or LIBRARY_FAILURE
     */
    VideoData init(int width, int height) throws VideoEncoderException;

    /** Whether {@link #init} succeeded. */
    boolean isInitialized();

    /**
     * Sets a parameter; {@link #BITRATE} also takes effect after {@link #init}, which rate adaptation relies on:
     * between two frames with no key frame where the library changes it while it encodes (x264, NVENC), or where
     * it cannot (x265, SVT-AV1 through FFmpeg) when the encoder opens it again at the new rate, which starts at a
     * key frame: the encoder chooses when (a key frame due anyway, or a change large enough to be worth one).
     *
     * @throws VideoEncoderException INVALID_PARAMETERS for an unknown name or a bad value, ALREADY_INITIALIZED
     *                               for a parameter that can only be set before init (the bit rate of an encoder
     *                               that cannot change it while it encodes)
     */
    void setParameter(String name, String value) throws VideoEncoderException;

    /** The value of a parameter, or {@code null} for an unknown name. */
    String getParameter(String name);

    /** The canvas pixel types {@link #encode(Canvas)} accepts, such as {@link Canvas#RGBA}. */
    List<String> supportedTypes();

    /**
     * Encodes one frame from host memory.
     *
     * @return the encoded frame, {@link VideoData#EMPTY} when the encoder holds it back
     * @throws VideoEncoderException UNSUPPORTED_CANVAS for a pixel type or size it does not take,
     *                               LIBRARY_FAILURE when the codec fails, INVALID_PARAMETERS before init
     */
    VideoData encode(Canvas canvas) throws VideoEncoderException;

    /**
     * Converts a finished canvas into the encoder's own picture format now, so that a later {@link #encode(Canvas)}
     * of the same canvas object only encodes. Call it on the thread that rendered the canvas: the conversion then
     * overlaps the encoding of the frame before, as a command-line pipeline's filter and encoder threads do,
     * instead of adding to each frame's encode. Unlike the other methods it may run at the same time as
     * {@code encode}, on another canvas. A stream in managed mode ({@code Stream.registerCanvasRenderHandler})
     * calls it itself.
     *
     * <p>The canvas must not change between prepare and its encode. A conversion serves one encode: encode
     * converts a canvas not prepared since its last encode itself. Optional: before {@link #init} and in encoders
     * with nothing to convert it does nothing.
     *
     * @throws VideoEncoderException UNSUPPORTED_CANVAS for a pixel type or size {@code encode} would refuse
     */
    default void prepare(Canvas canvas) throws VideoEncoderException {
    }

    /**
     * Encodes one frame from GPU memory, without a copy to the host.
     *
     * @throws VideoEncoderException LIBRARY_FAILURE when this encoder cannot read GPU memory (the default)
     */
    default VideoData encode(CudaCanvas canvas) throws VideoEncoderException {
        throw new VideoEncoderException(VideoEncoderException.Reason.LIBRARY_FAILURE,
                identifier() + " encoder " + getClass().getSimpleName() + " cannot encode from GPU memory");
    }

    /** Makes the next encoded frame a key frame. Any thread may call it. */
    void requestKeyFrame();

    /**
     * Flushes the encoder and frees what it holds. Calling it again returns {@link VideoData#EMPTY}.
     *
     * <p>Not {@link AutoCloseable}: closing hands back data that must still be sent.
     *
     * @return the last data to send, possibly empty
     */
    VideoData close();
}
