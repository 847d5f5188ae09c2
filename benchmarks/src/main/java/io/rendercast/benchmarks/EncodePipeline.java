package io.rendercast.benchmarks;

import io.rendercast.rtmp.CanvasRenderHandler;
import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bytedeco.javacpp.Loader;

/**
 * The software encode pipeline against the ffmpeg command line, in one run: the same 30 demo frames (1280x720
 * RGBA, looped), the same libx264 settings (the demo's: veryfast, zerolatency, high profile, 2.5 Mbit/s CBR, no
 * B-frames, GOP 60), frames per second of wall time from open to flush, each contender in turn, round after round,
 * after a warm-up of the in-process ones.
 *
 * <p>In process, three ways: every frame converted and encoded by one thread ({@code encode} alone); two threads
 * as a stream's render and frame threads work, the first drawing (copying) each frame into a canvas of its own and
 * converting it ({@code prepare}) while the second encodes the one before; and the server itself in managed mode, where a stream plays to one player in
 * this process, its canvas render handler draws (copies the next demo frame into the server's canvas), and the
 * server prepares each canvas on the render thread and encodes the newest on the frame thread. A fourth run times
 * libx264 alone, the conversion off the clock: no pipeline at these settings can beat it. The command line runs
 * FFmpeg 8.1.2 from JavaCPP's natives jar (the same libx264 the encoder loads) and Debian's ffmpeg; both demux,
 * convert and encode on threads of their own.
 *
 * <p>{@code EncodePipeline FFMPEG_8_DIR [frames] [rounds]}; writes {@code pipeline.csv} and {@code pipeline.png}
 * in {@code benchmarks/target}; {@link PipelineChart} draws the PNG again from the CSV.
 */
public final class EncodePipeline {

    static final int WIDTH = 1280;
    static final int HEIGHT = 720;
    static final int DISTINCT = 30;
    /** Frames of a warm-up run, not counted. */
    static final int WARM_UP = 600;
    /** A contender is warm once a run of it keeps the JIT compiling for less than this. */
    static final long WARM_COMPILE_MILLIS = 20;
    /** Warm-up runs at most, of each contender. */
    static final int MAX_WARM_UPS = 15;
    /** The contender the others are measured against. */
    static final String REFERENCE = "FFmpeg 8.1.2 CLI";
    private static final Pattern RTIME = Pattern.compile("rtime=([0-9.]+)s");
    private static final Pattern FRAMES = Pattern.compile("frame= *([0-9]+)");

    private EncodePipeline() {
    }

    public static void main(String[] args) throws Exception {
        // FFmpeg 8.1.2's own program, which JavaCPP extracts from the natives jar the encoders load (the same
        // libx264), with its libraries beside it.
        Path ffmpeg8 = Path.of(Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        int frames = args.length > 0 ? Integer.parseInt(args[0]) : 600;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        Path raw = Files.createTempFile("demo-frames", ".rgba");
        try (ManagedServer managed = new ManagedServer()) {
            RgbaCanvas[] canvases = DemoFrames.render(WIDTH, HEIGHT, DISTINCT);
            DemoFrames.writeRaw(canvases, raw);
            Map<String, List<Double>> fps = new LinkedHashMap<>();
            String debian = Files.isExecutable(Path.of("/usr/bin/ffmpeg")) ? "/usr/bin/ffmpeg" : null;
            System.out.printf(Locale.ROOT, "libx264 %dx%d veryfast, %d frames a run, %d rounds, %d cores%n", WIDTH,
                    HEIGHT, frames, rounds, Runtime.getRuntime().availableProcessors());
            // Not counted: the JIT compiles on the same two cores the encoder runs on. The managed row's path
            // through the server runs a few times a frame, so C2 compiles it only after thousands of frames.
            warmUp("encode alone", () -> encodeAlone(canvases, WARM_UP));
            warmUp("prepare on the render thread", () -> pipelined(canvases, WARM_UP));
            warmUp("managed canvases", () -> managedCanvases(managed, canvases, WARM_UP));
            warmUp("x264 alone", () -> x264Alone(canvases, WARM_UP));
            for (int round = 1; round <= rounds; round++) {
                record(REFERENCE, commandLine(ffmpeg8.toString(), raw, frames), fps);
                record("Rendercast, encode alone", encodeAlone(canvases, frames), fps);
                record("Rendercast, prepare on the render thread", pipelined(canvases, frames), fps);
                record("Rendercast, managed canvases", managedCanvases(managed, canvases, frames), fps);
                record("x264 alone (conversion not timed)", x264Alone(canvases, frames), fps);
                if (debian != null) {
                    record("Debian's ffmpeg CLI", commandLine(debian, raw, frames), fps);
                }
            }
            report(fps, rounds, frames);
        } finally {
            Files.deleteIfExists(raw);
        }
    }

    /**
     * Runs {@code contender} until the JIT is done with it: until one run of it keeps the compilers busy for less
     * than {@value #WARM_COMPILE_MILLIS} ms. Until then, C2 compiling on the encoder's two cores slows the run (up
     * to a millisecond of CPU a frame, seen on the managed row after three runs of 600 frames).
     */
    private static void warmUp(String name, Callable<Double> contender) throws Exception {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        int runs = 0;
        long compiling;
        do {
            long before = jit.getTotalCompilationTime();
            contender.call();
            compiling = jit.getTotalCompilationTime() - before;
            runs++;
        } while (compiling >= WARM_COMPILE_MILLIS && runs < MAX_WARM_UPS);
        System.out.printf(Locale.ROOT, "  warm-up: %s, %d runs of %d frames (the JIT compiled for %d ms in the last)%n",
                name, runs, WARM_UP, compiling);
    }

    private static void record(String name, double value, Map<String, List<Double>> fps) {
        fps.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        System.out.printf(Locale.ROOT, "  %-42s %6.1f fps%n", name, value);
    }

    private static VideoEncoder openEncoder() throws VideoEncoderException {
        VideoEncoder encoder = VideoEncoders.select("h264", "x264", VideoEncoders.providers()).create();
        encoder.setParameter(VideoEncoder.BITRATE, "2500000");
        encoder.setParameter(VideoEncoder.FRAMERATE, "30");
        encoder.setParameter(VideoEncoder.PRESET, "veryfast");
        encoder.init(WIDTH, HEIGHT);
        return encoder;
    }

    /** One thread converts and encodes every frame. */
    static double encodeAlone(RgbaCanvas[] canvases, int frames) throws VideoEncoderException {
        long start = System.nanoTime();
        VideoEncoder encoder = openEncoder();
        for (int i = 0; i < frames; i++) {
            encoder.encode(canvases[i % canvases.length]);
        }
        encoder.close();
        return frames / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * The bound on any pipeline at these settings: each frame converted ({@code prepare}) off the clock, so that
     * only libx264 and the call into it are timed.
     */
    static double x264Alone(RgbaCanvas[] canvases, int frames) throws VideoEncoderException {
        long timed = 0;
        long start = System.nanoTime();
        VideoEncoder encoder = openEncoder();
        timed += System.nanoTime() - start;
        for (int i = 0; i < frames; i++) {
            RgbaCanvas canvas = canvases[i % canvases.length];
            encoder.prepare(canvas);
            long before = System.nanoTime();
            encoder.encode(canvas);
            timed += System.nanoTime() - before;
        }
        long before = System.nanoTime();
        encoder.close();
        timed += System.nanoTime() - before;
        return frames / (timed / 1e9);
    }

    /**
     * A render thread draws each frame into a canvas of its own (a copy of the demo frame, as the managed row's
     * render handler draws it), prepares it and hands it on, at most two ahead (as a stream's render thread is,
     * with three canvases); this thread encodes them in order and gives each canvas back to be drawn again.
     */
    static double pipelined(RgbaCanvas[] frames, int count) throws Exception {
        long start = System.nanoTime();
        VideoEncoder encoder = openEncoder();
        BlockingQueue<RgbaCanvas> free = new ArrayBlockingQueue<>(4);
        for (int i = 0; i < 4; i++) {
            free.add(new RgbaCanvas(WIDTH, HEIGHT));
        }
        BlockingQueue<RgbaCanvas> finished = new ArrayBlockingQueue<>(2);
        Thread render = Thread.ofPlatform().name("render").start(() -> {
            try {
                for (int i = 0; i < count; i++) {
                    RgbaCanvas canvas = free.take();
                    RgbaCanvas frame = frames[i % frames.length];
                    canvas.data().put(0, frame.data(), 0, frame.data().capacity());
                    encoder.prepare(canvas);
                    finished.put(canvas);
                }
            } catch (VideoEncoderException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < count; i++) {
            RgbaCanvas canvas = finished.take();
            encoder.encode(canvas);
            free.put(canvas);
        }
        render.join();
        encoder.close();
        return count / ((System.nanoTime() - start) / 1e9);
    }

    /**
     * Managed mode, through the server's own playback threads: a stream of {@code server} plays to one new player
     * (a {@link PlayerCrowd} on loopback, which reads and drops what it gets). Its canvas render handler copies
     * the next frame into the server's canvas; the server prepares it on the render thread and encodes the newest
     * finished canvas with the stream's encoder (x264, set up as {@link #openEncoder()} does) on the frame
     * thread. The stream's render clock runs at its highest rate (240 fps); the handler draws into the canvas it is
     * given at once and returns once every frame it drew before but the last is encoded (or was replaced by a newer
     * one), so that it stays one frame ahead of the encoder. Timed from the first render, the encoder's set-up
     * included, to the last frame encoded; the flush at the stop, which holds nothing at these settings, is not.
     */
    static double managedCanvases(ManagedServer server, RgbaCanvas[] canvases, int frames) throws Exception {
        ManagedRun run = new ManagedRun(canvases, frames);
        server.next = run;
        try (PlayerCrowd player = new PlayerCrowd(1)) {
            player.play(server.server.listenAddress(), "live", "pipeline", 1);
            return frames / (run.seconds.get(5 + frames / 10, TimeUnit.SECONDS));
        }
    }

    /**
     * The server of the managed row, one for the whole benchmark as a server runs for long: started anew for each
     * run, the JIT compiled its per-connection and per-frame paths again in every round (C2 took up to a
     * millisecond of CPU a frame from the encoder's two cores), and a player leaving made it throw compiled code
     * away. Each player that connects plays the {@link #next} run.
     */
    static final class ManagedServer implements AutoCloseable {
        private final RtmpServer server;
        private final String choice = System.getProperty(VideoEncoders.CHOICE_PROPERTY);
        volatile ManagedRun next;

        ManagedServer() throws Exception {
            System.setProperty(VideoEncoders.CHOICE_PROPERTY, "x264");
            java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING); // the server's INFO
            server = RtmpServer.create(RtmpServerOptions.builder().build());
            server.addConnectHandler((create, connection, command, args) -> {
                ManagedRun run = next;
                connection.registerStreamEventHandler((created, stream, arguments) -> !created || run.setUp(stream));
                return true;
            });
            server.start(new InetSocketAddress("127.0.0.1", 0));
        }

        @Override
        public void close() {
            server.close();
            if (choice == null) {
                System.clearProperty(VideoEncoders.CHOICE_PROPERTY);
            } else {
                System.setProperty(VideoEncoders.CHOICE_PROPERTY, choice);
            }
        }
    }

    /** One stream of {@link #managedCanvases}: what it draws, and its count of frames encoded. */
    private static final class ManagedRun implements CanvasRenderHandler {
        private final RgbaCanvas[] canvases;
        private final int frames;
        final CompletableFuture<Double> seconds = new CompletableFuture<>();
        // Guarded by this.
        private long start;
        private int drawn;
        private int encoded;

        ManagedRun(RgbaCanvas[] canvases, int frames) {
            this.canvases = canvases;
            this.frames = frames;
        }

        boolean setUp(Stream stream) throws VideoEncoderException {
            stream.useCodec("h264");
            VideoEncoder encoder = stream.videoEncoder();
            encoder.setParameter(VideoEncoder.BITRATE, "2500000");
            encoder.setParameter(VideoEncoder.FRAMERATE, "30");
            encoder.setParameter(VideoEncoder.PRESET, "veryfast");
            stream.setProperty(Stream.RENDER_RATE, 240);
            stream.registerCanvasRenderHandler(WIDTH, HEIGHT, this);
            stream.registerEncodedFrameHandler((s, frame) -> {
                frameEncoded(s);
                return true;
            });
            return true;
        }

        /**
         * Copies the next frame into the server's canvas as soon as it is given, then returns once the frame drawn
         * before it is done with, so that finishing this one replaces nothing: the render thread of the prepare row
         * draws into a free canvas at once too, and waits only to hand it on. Stops the stream once all are encoded.
         */
        @Override
        public boolean render(Stream stream, RgbaCanvas canvas) throws InterruptedException {
            int next = nextFrame();
            if (next < 0) {
                return false;
            }
            RgbaCanvas frame = canvases[next % canvases.length];
            canvas.data().put(0, frame.data(), 0, frame.data().capacity());
            awaitTurn(next, stream.statistics().rendersReplaced());
            return true;
        }

        /** The number of the frame to draw next; -1 once all are encoded. */
        private synchronized int nextFrame() {
            if (drawn == 0) {
                start = System.nanoTime();
            }
            return encoded < frames ? drawn++ : -1;
        }

        /**
         * Waits until every frame before {@code frame} but the last is done with, so that the last is being
         * encoded or is the newest the encoder takes next. A frame is done with once encoded, or once replaced:
         * the frame thread came back late, after the next one was finished, and took that one instead. Counting
         * only the encoded frames, one replaced frame would put the count one behind for the rest of the run, and
         * each frame would be finished only once the one before it was encoded, in step with the encoder. The
         * server counts them ({@code rendersReplaced}) on the render thread, before it calls here again.
         */
        private synchronized void awaitTurn(int frame, long replaced) throws InterruptedException {
            while (encoded < frames && encoded + replaced < frame - 1) {
                wait();
            }
        }

        private synchronized void frameEncoded(Stream stream) {
            encoded++;
            notifyAll();
            if (encoded == frames) {
                long replaced = stream.statistics().rendersReplaced();
                if (replaced > 0) {
                    System.out.printf(Locale.ROOT, "  (managed canvases: %d of %d frames drawn were replaced "
                            + "before the encoder took them)%n", replaced, drawn);
                }
                seconds.complete((System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** The ffmpeg program at {@code program} encodes the raw frames, looped to {@code frames}. */
    static double commandLine(String program, Path raw, int frames)
            throws IOException, InterruptedException {
        List<String> command = List.of(program, "-hide_banner", "-nostdin", "-benchmark", "-stream_loop",
                Integer.toString(frames / DISTINCT - 1), "-f", "rawvideo", "-pix_fmt", "rgba", "-s",
                WIDTH + "x" + HEIGHT, "-r", "30", "-i", raw.toString(), "-c:v", "libx264", "-preset", "veryfast",
                "-tune", "zerolatency", "-profile:v", "high", "-b:v", "2500k", "-maxrate", "2500k", "-bufsize",
                "2500k", "-g", "60", "-bf", "0", "-pix_fmt", "yuv420p", "-f", "null", "-");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes());
        if (process.waitFor() != 0) {
            throw new IOException(program + " failed:\n" + log);
        }
        double seconds = last(RTIME, log);
        double encoded = last(FRAMES, log);
        return encoded / seconds;
    }

    private static double last(Pattern pattern, String log) throws IOException {
        Matcher m = pattern.matcher(log);
        String value = null;
        while (m.find()) {
            value = m.group(1);
        }
        if (value == null) {
            throw new IOException("ffmpeg printed no " + pattern + ":\n" + log);
        }
        return Double.parseDouble(value);
    }

    private static void report(Map<String, List<Double>> fps, int rounds, int frames) throws IOException {
        String command = "./rendercast bench pipeline " + frames + " " + rounds;
        double reference = mean(fps.get(REFERENCE));
        System.out.println("mean of " + rounds + " rounds, and as a ratio of FFmpeg 8.1.2's command line:");
        for (Map.Entry<String, List<Double>> e : fps.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-42s %6.1f fps  %.2f%n", e.getKey(), mean(e.getValue()),
                    mean(e.getValue()) / reference);
        }
        Path dir = Path.of("benchmarks", "target");
        writeCsv(dir.resolve("pipeline.csv"), fps, command);
        PipelineChart.write(dir.resolve("pipeline.png"), fps, command);
        System.out.println("figures: benchmarks/target/pipeline.csv, benchmarks/target/pipeline.png");
    }

    /** {@code pipeline.csv}: the command as a comment, then {@code contender,round,fps}, a record a round. */
    static void writeCsv(Path file, Map<String, List<Double>> fps, String command) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : fps.entrySet()) {
            for (int i = 0; i < e.getValue().size(); i++) {
                rows.add(List.of(e.getKey(), i + 1, String.format(Locale.ROOT, "%.1f", e.getValue().get(i))));
            }
        }
        CsvFiles.write(file, command, List.of("contender", "round", "fps"), rows);
    }

    static double mean(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    }
}
