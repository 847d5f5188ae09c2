package io.rendercast.encoder.avcodec;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.rendercast.video.Canvas;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.nio.ByteBuffer;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;

/**
 * RGBA canvases to I420 frames with swscale. One thread at a time.
 *
 * <p>Canvas rows run bottom-up; swscale reads them with a negative stride, so the flip costs nothing extra and
 * the conversion is the only pass over the pixels. A direct canvas buffer is read where it is.
 *
 * <p>Bilinear: the chroma planes are halved, and a two-tap filter is what halving needs. Without
 * {@code SWS_ACCURATE_RND}, which rounds each sample exactly but took a fifth longer at 1280x720 for at most one
 * level of difference; the ffmpeg command line does without it too.
 */
final class RgbaToI420 {

    private final int width;
    private final int height;
    private final String owner;
    private SwsContext scaler;
    private AVFrame source; // the canvas as swscale reads it: no buffer of its own, its rows bottom-up
    private ByteBuffer sourceBuffer; // the direct canvas buffer last read, and its last row
    private BytePointer sourceLastRow;
    private BytePointer heapCopy; // where a canvas on the Java heap is copied for swscale to read

    /**
     * @param threads swscale's threads: {@code sws_scale_frame} slices the picture among them (the older
     *                {@code sws_scale} runs on one)
     * @param owner   the encoder, as errors name it
     */
    RgbaToI420(int width, int height, int threads, String owner) throws VideoEncoderException {
        this.width = width;
        this.height = height;
        this.owner = owner;
        scaler = swscale.sws_alloc_context();
        if (scaler != null) {
            scaler.src_w(width).src_h(height).src_format(AV_PIX_FMT_RGBA).dst_w(width).dst_h(height)
                    .dst_format(AV_PIX_FMT_YUV420P).flags(swscale.SWS_BILINEAR)
                    .threads(threads);
        }
        if (scaler == null || swscale.sws_init_context(scaler, null, null) < 0) {
            close();
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, "swscale cannot convert RGBA to I420 at "
                    + width + "x" + height);
        }
        source = avutil.av_frame_alloc();
        source.format(AV_PIX_FMT_RGBA).width(width).height(height).color_range(AVCOL_RANGE_JPEG);
        source.linesize(0, -4 * width);
    }

    /** A frame for {@link #convert} to write into, with buffers of its own; null when none can be allocated. */
    static AVFrame newFrame(int width, int height) {
        AVFrame frame = avutil.av_frame_alloc();
        frame.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        if (avutil.av_frame_get_buffer(frame, 32) < 0) {
            avutil.av_frame_free(frame);
            return null;
        }
        frame.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M);
        return frame;
    }

    /** Refuses what the encoder would: a canvas of another pixel type or size. */
    void check(Canvas canvas) throws VideoEncoderException {
        if (!Canvas.RGBA.equals(canvas.type())) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, owner + " encoder takes " + Canvas.RGBA
                    + " canvases, got " + canvas.type());
        }
        if (canvas.resolutionX() != width || canvas.resolutionY() != height) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, "canvas is " + canvas.resolutionX() + "x"
                    + canvas.resolutionY() + " but the encoder was initialised at " + width + "x" + height);
        }
    }

    /** Converts a checked canvas into {@code frame}, making the frame writable first. */
    void convert(Canvas canvas, AVFrame frame) throws VideoEncoderException {
        ByteBuffer pixels = canvas.tile(0).data();
        long lastRow = 4L * width * (height - 1);
        if (pixels.isDirect()) {
            if (pixels != sourceBuffer) {
                sourceBuffer = pixels;
                sourceLastRow = new BytePointer(pixels).position(0).getPointer(lastRow);
            }
            source.data(0, sourceLastRow);
        } else {
            if (heapCopy == null) {
                heapCopy = new BytePointer(4L * width * height);
            }
            heapCopy.position(0).put(pixels.array(), pixels.arrayOffset(), 4 * width * height);
            source.data(0, heapCopy.getPointer(lastRow));
        }
        if (avutil.av_frame_make_writable(frame) < 0) {
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, "cannot make the frame writable");
        }
        int scaled = swscale.sws_scale_frame(scaler, frame, source);
        if (scaled < 0) {
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, "swscale failed: "
                    + AvcodecEncoder.errorText(scaled));
        }
    }

    void close() {
        if (scaler != null) {
            swscale.sws_freeContext(scaler);
            scaler = null;
        }
        if (source != null) {
            avutil.av_frame_free(source); // frees the frame alone: it holds no buffer of its own
            source = null;
        }
        sourceBuffer = null;
        sourceLastRow = null;
        if (heapCopy != null) {
            heapCopy.close();
            heapCopy = null;
        }
    }
}
