package io.rendercast.benchmarks;

import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_JPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_RGBA;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.rendercast.demo.DemoScene;
import io.rendercast.demo.SceneState;
import io.rendercast.video.RgbaCanvas;
import java.util.concurrent.TimeUnit;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.ffmpeg.global.swscale;
import org.bytedeco.ffmpeg.swscale.SwsContext;
import org.bytedeco.javacpp.BytePointer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RGBA to I420, the pass the software encoders make over every canvas before x264 sees it, as they make it
 * (swscale, bilinear, a bottom-up canvas read through a negative stride), on one thread and on {@code threads}
 * of them through {@code sws_scale_frame}; and with accurate rounding, which the encoders went without when it
 * measured a fifth slower. Allocates nothing per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RgbaToI420Benchmark {

    @Param("1280x720")
    public String size;

    @Param({"1", "2"})
    public int threads;

    /** swscale's flags: bilinear alone (the encoders'), or with accurate rounding. */
    @Param({"bilinear", "bilinear+accurate"})
    public String flags;

    private RgbaCanvas canvas;
    private SwsContext scaler;
    private BytePointer rgba;
    private AVFrame source;
    private AVFrame picture;

    @Setup
    public void setUp() {
        String[] wh = size.split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);
        canvas = new RgbaCanvas(width, height);
        DemoScene.render(canvas, 1, SceneState.INITIAL);
        rgba = new BytePointer(canvas.data()); // read in place, as the encoders do
        source = avutil.av_frame_alloc();
        source.format(AV_PIX_FMT_RGBA).width(width).height(height).color_range(AVCOL_RANGE_JPEG);
        source.linesize(0, -4 * width);
        source.data(0, rgba.getPointer(4L * width * (height - 1)));
        picture = avutil.av_frame_alloc();
        picture.format(AV_PIX_FMT_YUV420P).width(width).height(height);
        picture.color_range(AVCOL_RANGE_MPEG).colorspace(AVCOL_SPC_SMPTE170M);
        if (avutil.av_frame_get_buffer(picture, 32) < 0) {
            throw new IllegalStateException("cannot allocate a " + size + " picture");
        }
        scaler = swscale.sws_alloc_context();
        scaler.src_w(width).src_h(height).src_format(AV_PIX_FMT_RGBA).dst_w(width).dst_h(height)
                .dst_format(AV_PIX_FMT_YUV420P).flags(swscale.SWS_BILINEAR
                        | (flags.contains("accurate") ? swscale.SWS_ACCURATE_RND : 0))
                .threads(threads);
        if (swscale.sws_init_context(scaler, null, null) < 0) {
            throw new IllegalStateException("swscale cannot convert RGBA to I420 at " + size);
        }
    }

    @TearDown
    public void tearDown() {
        swscale.sws_freeContext(scaler);
        avutil.av_frame_free(source);
        avutil.av_frame_free(picture);
    }

    @Benchmark
    public int convert() {
        return swscale.sws_scale_frame(scaler, picture, source);
    }
}
