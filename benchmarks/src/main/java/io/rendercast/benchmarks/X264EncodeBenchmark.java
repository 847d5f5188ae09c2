package io.rendercast.benchmarks;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The demo's encode path: an RGBA canvas of the demo scene to H.264 with the x264 provider, at the demo's
 * settings, one thread converting and encoding each frame. Operations per second are frames per second;
 * {@link EncodePipeline} runs the pipeline as a stream does, beside the ffmpeg command line on the same frames.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class X264EncodeBenchmark {

    /** Frames rendered up front and encoded in turn, so that the encoder sees motion. */
    static final int FRAMES = 30;

    @Param("1280x720")
    public String size;

    @Param("veryfast")
    public String preset;

    @Param("2500000")
    public String bitrate;

    private VideoEncoder encoder;
    private RgbaCanvas[] frames;
    private int next;

    @Setup
    public void setUp() throws VideoEncoderException {
        String[] wh = size.split("x");
        int width = Integer.parseInt(wh[0]);
        int height = Integer.parseInt(wh[1]);
        frames = DemoFrames.render(width, height, FRAMES);
        encoder = VideoEncoders.select("h264", "x264", VideoEncoders.providers()).create();
        encoder.setParameter(VideoEncoder.BITRATE, bitrate);
        encoder.setParameter(VideoEncoder.FRAMERATE, "30");
        encoder.setParameter(VideoEncoder.PRESET, preset);
        encoder.init(width, height);
    }

    @TearDown
    public void tearDown() {
        encoder.close();
    }

    @Benchmark
    public VideoData encode() throws VideoEncoderException {
        return encoder.encode(frames[next++ % FRAMES]);
    }
}
