package io.rendercast.benchmarks;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoders;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * H.264, HEVC and AV1 side by side on the demo scene: each encoder, chosen as the server chooses it, encodes the
 * same frames at several bit rates; FFmpeg 8.1.2 (the programs in JavaCPP's natives jar, its own decoders)
 * decodes each stream and measures its PSNR against the rendered frames. Prints encode speed and bits per frame,
 * and the bits per frame each codec needs for the same PSNR, interpolated between the bit rates that bracket it.
 *
 * <p>{@code CodecComparison [WxH] [frames] [target dB]}; writes {@code target/codecs.csv}. FFmpeg 8.1.2's own
 * {@code ffmpeg} measures the pictures: JavaCPP extracts it from the natives jar the encoders load.
 */
public final class CodecComparison {

    private static final Pattern AVERAGE = Pattern.compile("average:([0-9.]+|inf)");
    private static final long[] BITRATES = {100_000, 200_000, 400_000, 800_000, 1_600_000, 3_200_000};

    record Run(String codec, String encoder, long bitrate, double fps, double bitsPerFrame, double psnr) {
    }

    private CodecComparison() {
    }

    public static void main(String[] args) throws Exception {
        Path ffmpeg = Path.of(org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class));
        String[] size = (args.length > 0 ? args[0] : "1280x720").split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        int frames = args.length > 1 ? Integer.parseInt(args[1]) : 150;
        double target = args.length > 2 ? Double.parseDouble(args[2]) : 45;
        Path work = Files.createDirectories(Path.of("benchmarks", "target", "codecs"));
        Path reference = work.resolve("reference.rgba");
        RgbaCanvas[] canvases = DemoFrames.render(width, height, frames);
        DemoFrames.writeRaw(canvases, reference);
        System.out.printf(Locale.ROOT, "demo scene %dx%d, %d frames at 30 fps, %d cores; PSNR by FFmpeg 8.1.2%n", width,
                height, frames, Runtime.getRuntime().availableProcessors());
        List<Run> runs = new ArrayList<>();
        for (String codec : List.of("h264", "hevc", "av1")) {
            for (long bitrate : BITRATES) {
                Run run = encode(codec, bitrate, canvases, width, height, work, ffmpeg, reference);
                System.out.printf(Locale.ROOT, "  %-4s %-8s %5.1f Mbit/s: %6.1f fps encoding, %8.0f bits/frame, %5.2f dB%n",
                        run.codec(), run.encoder(), bitrate / 1e6, run.fps(), run.bitsPerFrame(), run.psnr());
                runs.add(run);
            }
        }
        CsvFiles.write(Path.of("benchmarks", "target", "codecs.csv"), null,
                List.of("codec", "encoder", "bitrate", "encode_fps", "bits_per_frame", "psnr_db"),
                runs.stream().map(r -> List.of(r.codec(), r.encoder(), r.bitrate(),
                        String.format(Locale.ROOT, "%.1f", r.fps()), String.format(Locale.ROOT, "%.0f",
                                r.bitsPerFrame()), String.format(Locale.ROOT, "%.2f", r.psnr()))).toList());
        System.out.printf(Locale.ROOT, "at %.0f dB PSNR:%n", target);
        double h264Bits = bitsAt(runs, "h264", target);
        for (String codec : List.of("h264", "hevc", "av1")) {
            double bits = bitsAt(runs, codec, target);
            double fps = runs.stream().filter(r -> r.codec().equals(codec)).mapToDouble(Run::fps).average().orElse(0);
            System.out.printf(Locale.ROOT, "  %-4s %8.0f bits/frame (%.2f of H.264's), %6.1f fps encoding on average%n",
                    codec, bits, bits / h264Bits, fps);
        }
        System.out.println("figures: benchmarks/target/codecs.csv");
    }

    private static Run encode(String codec, long bitrate, RgbaCanvas[] canvases, int width, int height, Path work,
                              Path ffmpeg, Path reference) throws Exception {
        VideoEncoders.Choice choice = VideoEncoders.choose(codec, VideoEncoders.AUTO, VideoEncoders.providers());
        VideoEncoder encoder = choice.provider().create();
        encoder.setParameter(VideoEncoder.BITRATE, Long.toString(bitrate));
        encoder.setParameter(VideoEncoder.FRAMERATE, "30");
        Path stream = work.resolve(codec + "-" + bitrate + "." + (codec.equals("av1") ? "obu" : codec));
        long bytes = 0;
        long nanos = 0;
        try (WritableByteChannel out = Channels.newChannel(new BufferedOutputStream(Files.newOutputStream(stream),
                1 << 20))) {
            VideoData init = encoder.init(width, height);
            out.write(init.data().duplicate());
            for (RgbaCanvas canvas : canvases) {
                long start = System.nanoTime();
                VideoData frame = encoder.encode(canvas);
                nanos += System.nanoTime() - start;
                bytes += frame.size();
                out.write(frame.data().duplicate());
            }
            VideoData last = encoder.close();
            bytes += last.size();
            out.write(last.data().duplicate());
        }
        double psnr = psnr(ffmpeg, stream, codec, reference, width, height);
        return new Run(codec, choice.provider().name(), bitrate, canvases.length / (nanos / 1e9),
                bytes * 8.0 / canvases.length, psnr);
    }

    private static double psnr(Path ffmpeg, Path stream, String codec, Path reference, int width, int height)
            throws IOException, InterruptedException {
        String format = switch (codec) {
            case "h264" -> "h264";
            case "hevc" -> "hevc";
            default -> "obu";
        };
        List<String> command = new ArrayList<>(List.of(ffmpeg.toString(), "-hide_banner", "-nostdin", "-f", format));
        if (codec.equals("av1")) {
            command.addAll(List.of("-c:v", "libaom-av1")); // FFmpeg's own av1 decoder needs a hardware accelerator
        }
        command.addAll(List.of("-r", "30", "-i", stream.toString(), "-f", "rawvideo", "-pix_fmt", "rgba", "-s",
                width + "x" + height, "-r", "30", "-i", reference.toString(), "-lavfi",
                "[0:v]format=yuv420p[a];[1:v]format=yuv420p[b];[a][b]psnr", "-f", "null", "-"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        Process process = builder.start();
        String log = new String(process.getInputStream().readAllBytes());
        process.waitFor();
        Matcher average = AVERAGE.matcher(log);
        double psnr = Double.NaN;
        while (average.find()) {
            psnr = average.group(1).equals("inf") ? 99 : Double.parseDouble(average.group(1));
        }
        if (Double.isNaN(psnr)) {
            throw new IOException("ffmpeg measured no PSNR for " + stream + ":\n" + log);
        }
        return psnr;
    }

    /** The bits per frame {@code codec} needs for {@code psnr}, interpolated on a log scale; NaN out of range. */
    static double bitsAt(List<Run> runs, String codec, double psnr) {
        List<Run> mine = runs.stream().filter(r -> r.codec().equals(codec))
                .sorted((a, b) -> Double.compare(a.psnr(), b.psnr())).toList();
        for (int i = 1; i < mine.size(); i++) {
            Run low = mine.get(i - 1);
            Run high = mine.get(i);
            if (low.psnr() <= psnr && psnr <= high.psnr() && high.psnr() > low.psnr()) {
                double t = (psnr - low.psnr()) / (high.psnr() - low.psnr());
                return Math.exp(Math.log(low.bitsPerFrame()) + t * (Math.log(high.bitsPerFrame())
                        - Math.log(low.bitsPerFrame())));
            }
        }
        return Double.NaN;
    }
}
