package io.rendercast.encoder.avcodec;

import io.rendercast.video.Canvas;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * Canvases converted to I420 ahead of encode, on the thread that rendered them ({@code VideoEncoder.prepare}),
 * each waiting for the encode of its canvas. The conversion has a swscale context of its own, so it runs while
 * the encoder's thread encodes the frame before.
 *
 * <p>Two locks: {@code converting} is held for a whole conversion, so that {@link #close()} never frees what a
 * conversion uses; this object's monitor only for the moment a frame changes hands, so that an encode never
 * waits for a conversion of another canvas.
 */
final class PreparedPictures {

    /** As many as a render thread keeps canvases in flight (three, in a triple buffer), and one to spare. */
    static final int MAX_WAITING = 4;

    private record Waiting(Canvas canvas, AVFrame frame) {
    }

    private final int width;
    private final int height;
    private final String owner;
    private RgbaToI420 converter; // made by the first conversion: an encoder never prepared for needs none
    private final Object converting = new Object();
    private final List<Waiting> waiting = new ArrayList<>(MAX_WAITING); // oldest first
    private final ArrayDeque<AVFrame> spare = new ArrayDeque<>();
    private boolean closed;

    /** For an encoder at {@code width} x {@code height}; {@code owner} names it in errors. */
    PreparedPictures(int width, int height, String owner) {
        this.width = width;
        this.height = height;
        this.owner = owner;
    }

    /** Converts {@code canvas} now, for the next {@link #take} of it; nothing once closed. */
    void prepare(Canvas canvas) throws VideoEncoderException {
        synchronized (converting) {
            AVFrame frame;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (converter == null) {
                    // One thread: it runs beside the encoder's own, and converts with the least CPU (no slices
                    // handed between threads); at 1280x720 that measured a little faster than two.
                    converter = new RgbaToI420(width, height, 1, owner);
                }
                converter.check(canvas);
                frame = remove(canvas);
                if (frame == null) {
                    frame = spare.poll();
                }
                if (frame == null && waiting.size() >= MAX_WAITING) {
                    frame = waiting.removeFirst().frame(); // a canvas prepared and never encoded
                }
            }
            if (frame == null && (frame = RgbaToI420.newFrame(width, height)) == null) {
                throw new VideoEncoderException(Reason.LIBRARY_FAILURE, "cannot allocate a frame to prepare");
            }
            try {
                converter.convert(canvas, frame);
            } catch (VideoEncoderException e) {
                giveBack(frame);
                throw e;
            }
            synchronized (this) {
                waiting.add(new Waiting(canvas, frame));
            }
        }
    }

    /** The picture prepared for {@code canvas}, for one encode; null when there is none. */
    synchronized AVFrame take(Canvas canvas) {
        return remove(canvas);
    }

    /** A frame from {@link #take}, encoded: kept for the next conversion. */
    synchronized void giveBack(AVFrame frame) {
        if (closed) {
            avutil.av_frame_free(frame);
        } else {
            spare.add(frame);
        }
    }

    /** Frees every frame and the converter, after any conversion under way. */
    void close() {
        synchronized (converting) {
            synchronized (this) {
                closed = true;
                waiting.forEach(w -> avutil.av_frame_free(w.frame()));
                waiting.clear();
                spare.forEach(avutil::av_frame_free);
                spare.clear();
            }
            if (converter != null) {
                converter.close();
            }
        }
    }

    private AVFrame remove(Canvas canvas) {
        for (int i = 0; i < waiting.size(); i++) {
            if (waiting.get(i).canvas() == canvas) { // identity: the same canvas object, drawn again or not
                return waiting.remove(i).frame();
            }
        }
        return null;
    }
}
