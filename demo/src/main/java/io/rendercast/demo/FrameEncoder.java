package io.rendercast.demo;

import java.nio.ByteBuffer;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;

/**
 * How one stream's frames are encoded: by the encoder the stream owns ({@code useCodec}), or, with codec
 * {@code none}, by the demo's own Screen Video encoder, packed into FLV video tags by the demo, so that the
 * server sends the bytes as they are.
 */
final class FrameEncoder {

    private static final System.Logger LOG = System.getLogger(FrameEncoder.class.getName());

    /** FLV video tag header: frame type in the high nibble, codec id (3: Screen Video) in the low one. */
    private static final int SCREEN_VIDEO = 3;

    private final VideoEncoder encoder;
    private final boolean packsTags;
    private final int width;
    private final int height;

    private FrameEncoder(VideoEncoder encoder, boolean packsTags, int width, int height) {
        this.encoder = encoder;
        this.packsTags = packsTags;
        this.width = width;
        this.height = height;
    }

    static FrameEncoder forStream(Stream stream, DemoOptions options) throws VideoEncoderException {
        VideoEncoder encoder;
        boolean packsTags = options.codec().equals("none");
        if (packsTags) {
            encoder = VideoEncoders.select("screen video").create();
        } else {
            stream.useCodec(codecFor(stream, options.codec()));
            encoder = stream.videoEncoder();
        }
        // Every encoder takes a frame rate; those with a bit rate say so by having one already.
        encoder.setParameter(VideoEncoder.FRAMERATE, Double.toString(options.fps()));
        if (encoder.getParameter(VideoEncoder.BITRATE) != null) {
            encoder.setParameter(VideoEncoder.BITRATE, Long.toString(options.bitrate()));
        }
        if (stream.connection() != null && encoder.getParameter(VideoEncoder.INTRA_REFRESH) != null) {
            // A player's own encoder: a key frame every two seconds would hold up the frames behind it on a slow
            // link (at 1.5 Mbit/s one takes a third of a second). Refreshed a column at a time instead, the
            // picture still heals within two seconds for a player that starts late (ffplay -fflags nobuffer drops
            // the first key frame with what it probed). A broadcast keeps key frames, for the players who join.
            encoder.setParameter(VideoEncoder.INTRA_REFRESH, "true");
        }
        return new FrameEncoder(encoder, packsTags, options.width(), options.height());
    }

    /**
     * The codec to stream: the one asked for when the client plays it, else H.264, which every client plays. An
     * HEVC or AV1 stream goes only to clients that listed it in Enhanced RTMP's {@code fourCcList}.
     */
    static String codecFor(Stream stream, String wanted) {
        if (stream.connection() == null || stream.connection().videoCodecs().contains(wanted)) {
            return wanted;
        }
        LOG.log(System.Logger.Level.INFO, "{0} does not play {1} (it plays {2}); sending it H.264",
                stream.connection().peerAddress(), wanted, stream.connection().videoCodecs());
        return "h264";
    }

    /**
     * Whether the stream encodes with its own encoder ({@code useCodec}), so that it can take the canvases in
     * managed mode; false for codec {@code none}, where the demo encodes and packs the frames itself.
     */
    boolean isTheStreams() {
        return !packsTags;
    }

    /** Encodes one canvas; the encoder is initialised on the first frame. */
    VideoData encode(RgbaCanvas canvas) throws VideoEncoderException {
        if (!encoder.isInitialized()) {
            encoder.init(width, height);
        }
        VideoData frame = encoder.encode(canvas);
        if (!packsTags || frame.isEmpty()) {
            return frame;
        }
        ByteBuffer tag = ByteBuffer.allocateDirect(frame.size() + 1);
        tag.put((byte) ((frame.keyFrame() ? 0x10 : 0x20) | SCREEN_VIDEO));
        tag.put(frame.data().duplicate());
        return new VideoData(tag.flip(), frame.keyFrame());
    }

    /**
     * Converts a finished canvas for its encode, on the render thread, so that the frame thread only encodes. A
     * canvas the encoder refuses is left to {@link #encode(RgbaCanvas)}, which says why.
     */
    void prepare(RgbaCanvas canvas) {
        try {
            encoder.prepare(canvas);
        } catch (VideoEncoderException e) {
            LOG.log(System.Logger.Level.DEBUG, "not prepared ahead: {0}", e.getMessage());
        }
    }

    /** Encodes a canvas in GPU memory (NV12), for an encoder that takes it; the encoder is initialised first. */
    VideoData encode(CudaCanvas canvas) throws VideoEncoderException {
        if (!encoder.isInitialized()) {
            encoder.init(width, height);
        }
        return encoder.encode(canvas);
    }

    /** Frees an encoder the demo made itself; one the stream owns is the stream's to free. */
    void close() {
        if (packsTags) {
            encoder.close();
        }
    }
}
