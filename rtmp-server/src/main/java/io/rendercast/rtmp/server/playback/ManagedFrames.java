package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.EncodedFrameHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.server.common.HandlerCalls;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;

/**
 * A playback's managed mode, both halves: on the render thread the canvas render handler draws into one of the
 * {@link ManagedCanvases} and the canvas is converted for the encoder; on the frame thread the newest finished
 * canvas is encoded, shown to the encoded frame handler and sent. The playback keeps the clock, the budget and the
 * stop; each method here returns why the stream must stop, or null.
 */
final class ManagedFrames {

    private static final System.Logger LOG = System.getLogger(ManagedFrames.class.getName());
    static final String NO_CODEC = "it renders into managed canvases and has no codec to encode them: call "
            + "useCodec before it plays";

    private final PlaybackSource source;
    private final Stream stream;
    /** Made on the render thread at the first frame, and again if the size changes. */
    private volatile ManagedCanvases canvases;

    ManagedFrames(PlaybackSource source) {
        this.source = source;
        this.stream = source.stream();
    }

    /** On the render thread: draws the frame stamped {@code timestamp} into a free canvas and converts it. */
    String draw(CanvasRendering managed, int timestamp) {
        VideoEncoder encoder = stream.videoEncoder();
        if (encoder == null) {
            return NO_CODEC;
        }
        if (needsCanvases(managed)) {
            setUpCanvases(managed);
        }
        ManagedCanvases pool = canvases;
        RgbaCanvas canvas = pool.beginDraw();
        String failed = HandlerCalls.callToGoOn(stream, "canvas render handler",
                () -> managed.handler().render(stream, canvas));
        if (failed != null) {
            pool.cancelDraw();
            return failed;
        }
        prepare(encoder, canvas);
        if (pool.finishDraw(timestamp)) {
            source.countReplaced();
        }
        return null;
    }

    /** On the render thread: whether the next draw needs canvases made first (the first, or a new size). */
    boolean needsCanvases(CanvasRendering managed) {
        ManagedCanvases pool = canvases;
        return pool == null || !pool.fit(managed.width(), managed.height());
    }

    /** On the render thread: makes the canvases the next draw needs. */
    void setUpCanvases(CanvasRendering managed) {
        canvases = new ManagedCanvases(managed.width(), managed.height());
    }

    /** On the frame thread: whether the encoder is still to be opened for the canvases finished so far. */
    boolean needsEncoder() {
        VideoEncoder encoder = stream.videoEncoder();
        return encoder != null && !encoder.isInitialized() && canvases != null;
    }

    /** On the frame thread: opens the encoder at the canvases' size. Returns why the stream must stop, or null. */
    String setUpEncoder() {
        VideoEncoder encoder = stream.videoEncoder();
        ManagedCanvases pool = canvases;
        Boolean opened = HandlerCalls.call(stream, "the encoder's open, for a managed canvas", () -> {
            encoder.init(pool.width(), pool.height());
            return Boolean.TRUE;
        }, null);
        return opened == null ? "its encoder failed to open" : null;
    }

    /** Converts a finished canvas now; one the encoder refuses is left to its encode, which stops the stream. */
    private void prepare(VideoEncoder encoder, RgbaCanvas canvas) {
        try {
            encoder.prepare(canvas);
        } catch (VideoEncoderException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: a managed canvas is not converted ahead: {1}", stream,
                    e.getMessage());
        }
    }

    /** Whether a canvas was finished since the frame thread last took one. */
    boolean hasNewest() {
        ManagedCanvases pool = canvases;
        return pool != null && pool.hasNewest();
    }

    /**
     * On the frame thread: encodes the newest finished canvas and, unless {@code handler} drops it, sends it to
     * {@code sender} with the stamp of the render that drew it.
     */
    String encodeNewest(EncodedFrameHandler handler, FrameSink sender) {
        VideoEncoder encoder = stream.videoEncoder();
        if (encoder == null) {
            return NO_CODEC;
        }
        ManagedCanvases pool = canvases;
        RgbaCanvas canvas = pool.beginEncode();
        int timestamp = pool.encodingTimestamp();
        VideoData frame;
        try {
            frame = HandlerCalls.call(stream, "the encoder, on a managed canvas", () -> {
                if (!encoder.isInitialized()) {
                    encoder.init(canvas.resolutionX(), canvas.resolutionY());
                }
                return encoder.encode(canvas);
            }, null);
            if (frame != null) {
                source.encodeAgain(canvas, timestamp);
            }
        } finally {
            pool.finishEncode();
        }
        if (frame == null) {
            return "its encoder failed on a managed canvas";
        }
        if (frame.isEmpty()) {
            return null;
        }
        Boolean send = handler == null ? Boolean.TRUE
                : HandlerCalls.call(stream, "encoded frame handler", () -> handler.handle(stream, frame), null);
        if (send == null) {
            return "the encoded frame handler threw";
        }
        if (send) {
            sender.sendFrame(frame, timestamp);
        } else {
            // Later frames refer to this one: nothing more goes out until a key frame.
            source.countDropped();
            sender.markGap();
        }
        return null;
    }
}
