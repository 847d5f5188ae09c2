package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import io.rendercast.video.Canvas;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import java.util.List;

/**
 * The encoder a stream owns, as the application sees it: it passes every call on, and tells the stream of the
 * init data so that the player gets it (as the AVC sequence header) before the first frame.
 *
 * <p>When a playback ends the stream flushes the encoder ({@link #flush()}): what it still held is sent before
 * the end of the sequence, and a fresh encoder with the same parameters takes its place for the next play. An
 * application's own {@link #close()} does nothing; the stream closes the encoder when it is deleted.
 */
public final class StreamEncoder implements VideoEncoder {

    private static final System.Logger LOG = System.getLogger(StreamEncoder.class.getName());
    /** What a fresh encoder takes over from the one it replaces, and a broadcast's renditions from its shared one. */
    public static final List<String> PARAMETERS = List.of(BITRATE, FRAMERATE, PRESET, KEYFRAME_INTERVAL,
            INTRA_REFRESH, PROFILE, RATE_BUFFER);

    private final String codec;
    private final StreamEncoders source;
    private final InitListener stream;
    private volatile VideoEncoder encoder;

    /** Told of the encoder's init data, which its players need before the first frame. */
    @FunctionalInterface
    public interface InitListener {
        void encoderInitialized(VideoData data, int width, int height);
    }

    public StreamEncoder(String codec, StreamEncoders source, InitListener stream) throws VideoEncoderException {
        this.codec = codec;
        this.source = source;
        this.stream = stream;
        this.encoder = source.create(codec);
    }

    /**
     * Before the encoder opens, the parameters {@code viewer}'s transport wants it opened with (a WebRTC player's
     * offer names the H.264 profiles it decodes). An encoder already open (the application opened it itself), or
     * without such a parameter, keeps its own; the player is then sent what it makes. A profile is for H.264 only.
     */
    public void useSettingsOf(ViewerTransport viewer) {
        if (encoder.isInitialized()) {
            return;
        }
        viewer.encoderSettings().forEach((name, value) -> {
            if (name.equals(PROFILE) && !codec.equals("h264") || value.equals(encoder.getParameter(name))) {
                return;
            }
            try {
                encoder.setParameter(name, value);
            } catch (VideoEncoderException e) {
                LOG.log(System.Logger.Level.DEBUG, "the encoder keeps its {0}: {1}", name, e.getMessage());
            }
        });
    }

    @Override
    public String identifier() {
        return encoder.identifier();
    }

    @Override
    public VideoData init(int width, int height) throws VideoEncoderException {
        VideoData data = encoder.init(width, height);
        stream.encoderInitialized(data.copy(), width, height);
        return data;
    }

    @Override
    public boolean isInitialized() {
        return encoder.isInitialized();
    }

    @Override
    public void setParameter(String name, String value) throws VideoEncoderException {
        encoder.setParameter(name, value);
    }

    @Override
    public String getParameter(String name) {
        return encoder.getParameter(name);
    }

    @Override
    public List<String> supportedTypes() {
        return encoder.supportedTypes();
    }

    @Override
    public VideoData encode(Canvas canvas) throws VideoEncoderException {
        return encoder.encode(canvas);
    }

    @Override
    public void prepare(Canvas canvas) throws VideoEncoderException {
        encoder.prepare(canvas);
    }

    @Override
    public VideoData encode(CudaCanvas canvas) throws VideoEncoderException {
        return encoder.encode(canvas);
    }

    @Override
    public void requestKeyFrame() {
        encoder.requestKeyFrame();
    }

    /** The stream owns the encoder; an application closing it gets nothing back and the stream keeps it. */
    @Override
    public VideoData close() {
        return VideoData.EMPTY;
    }

    /** The codec {@code Stream.useCodec} names, or why there is none. */
    public static FlvVideoCodec codecNamed(String name) throws VideoEncoderException {
        try {
            return FlvVideoCodec.byName(name);
        } catch (IllegalArgumentException e) {
            throw new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER, e.getMessage());
        }
    }

    /**
     * A playback of {@code where} ended, its frame thread done or given up on: returns what the encoder still
     * held (empty when the thread is stuck, the encoder then left to it and closed once it is done), with a fresh
     * encoder in its place either way. A failure is logged and returns nothing.
     */
    public VideoData flushAtStop(StreamPlayback ended, boolean frameThreadDone, Object where) {
        try {
            if (frameThreadDone) {
                return isInitialized() ? flush() : VideoData.EMPTY;
            }
            ended.closeWhenFrameThreadDone(detach());
        } catch (VideoEncoderException | RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "{0}: the encoder failed to flush: {1}", where, e.getMessage());
        }
        return VideoData.EMPTY;
    }

    /**
     * Closes the encoder, returning what it still held (a copy), and puts a fresh one with the same parameters
     * in its place. Only when no thread encodes with it any more.
     */
    VideoData flush() throws VideoEncoderException {
        VideoData last = encoder.close().copy();
        encoder = fresh();
        return last;
    }

    /**
     * Puts a fresh encoder in the place of the one a stuck frame thread still holds, and returns that one for
     * whoever closes it once the thread is done.
     */
    VideoEncoder detach() throws VideoEncoderException {
        VideoEncoder stuck = encoder;
        encoder = fresh();
        return stuck;
    }

    private VideoEncoder fresh() throws VideoEncoderException {
        VideoEncoder next = source.create(codec);
        copyParameters(encoder, next);
        return next;
    }

    /** Sets on {@code to} each of the {@link #PARAMETERS} that {@code from} and {@code to} both have. */
    public static void copyParameters(VideoEncoder from, VideoEncoder to) throws VideoEncoderException {
        for (String name : PARAMETERS) {
            String value = from.getParameter(name);
            if (value != null && to.getParameter(name) != null) {
                to.setParameter(name, value);
            }
        }
    }

    /** The bit rate {@code encoder} is set to, or 0 where it takes none (or null). */
    public static long bitrateOf(VideoEncoder encoder) {
        try {
            String value = encoder == null ? null : encoder.getParameter(BITRATE);
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * A playback of {@code ended} ended and the stream is done with the encoder for good: it is closed now, or once
     * a stuck frame thread is done with it. What it still held is dropped.
     */
    public void closeAtStop(StreamPlayback ended, boolean frameThreadDone) {
        if (frameThreadDone) {
            encoder.close();
        } else {
            ended.closeWhenFrameThreadDone(encoder);
        }
    }

    /** The stream is deleted: the encoder is freed, and what it held is dropped with the stream. */
    public void closeOwned() {
        encoder.close();
    }
}
