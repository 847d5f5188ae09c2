package io.rendercast.benchmarks;

import io.rendercast.demo.DemoScene;
import io.rendercast.demo.FrameCode;
import io.rendercast.demo.SceneState;
import io.rendercast.demo.ScenePictures;
import io.rendercast.video.RgbaCanvas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a player received, read back from a recording of the stream as it arrived. The PSNR: FFmpeg decodes every
 * {@value #EVERY}th frame from a point on, and each picture's luma is compared with that of the frame the demo
 * rendered for it (the coding loss, without chroma subsampling's, as {@link ScenePictures#lumaPsnrAgainstScene}).
 * Over TCP a frame that arrives is the encoder's own, bit for bit; a frame the server skipped is not in the
 * recording (its gap is a freeze, counted apart). And the colours: every frame, at a quarter of the size, with
 * its timestamp and how many of its pixels are near each of some colours, for input to photon ({@link InputToPhoton}).
 */
final class RecordedPictures {

    static final int EVERY = 10;
    /** The sum of the three channels' differences under which a pixel is taken for a colour, as the viewer page's. */
    private static final int NEAR = 60;
    /** The first line showinfo prints of each frame, in the order of the frames it passes. */
    private static final Pattern SHOWINFO = Pattern.compile("\\bpts_time:\\s*(\\S+)");

    /** The median and the lowest PSNR, in dB, of the frames looked at; NaN when none were. */
    record Quality(double medianDb, double lowestDb, int frames) {
    }

    /**
     * A frame of a recording: its timestamp (s; NaN where it had none), and how many of its pixels at a quarter size
     * are near each colour.
     */
    record Shown(double ptsSeconds, int[] pixels) {
    }

    private RecordedPictures() {
    }

    /**
     * The PSNR of every {@value #EVERY}th frame from {@code fromSeconds} on. A player's input may have recoloured its
     * discs: each picture is compared with the scene in its first colour and in each of {@code recolours}
     * ({@code "#rrggbb"}), and the closest counts.
     */
    static Quality psnr(String ffmpeg, Path recording, double fromSeconds, int width, int height,
                        List<String> recolours) throws IOException, InterruptedException {
        List<SceneState> scenes = new ArrayList<>(List.of(SceneState.INITIAL));
        recolours.forEach(c -> scenes.add(SceneState.INITIAL.withColor(Integer.parseInt(c.substring(1), 16))));
        Process decoder = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "error",
                "-ss", String.format(Locale.ROOT, "%.2f", fromSeconds), "-i", recording.toString(),
                "-vf", "select=not(mod(n\\," + EVERY + "))", "-fps_mode", "passthrough",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        int length = width * height * 3;
        byte[] picture = new byte[length];
        RgbaCanvas scratch = new RgbaCanvas(width, height);
        List<Double> psnrs = new ArrayList<>();
        try (InputStream in = decoder.getInputStream()) {
            while (in.readNBytes(picture, 0, length) == length) {
                psnrs.add(lumaPsnr(picture, width, height, scenes, scratch));
            }
            decoder.waitFor();
        } finally {
            decoder.destroy();
        }
        if (psnrs.isEmpty()) {
            return new Quality(Double.NaN, Double.NaN, 0);
        }
        psnrs.sort(null);
        return new Quality(psnrs.get(psnrs.size() / 2), psnrs.getFirst(), psnrs.size());
    }

    /** The highest luma PSNR of {@code picture} against the frame its code names, rendered in each of the scenes. */
    private static double lumaPsnr(byte[] picture, int width, int height, List<SceneState> scenes,
                                   RgbaCanvas scratch) {
        if (scenes.size() == 1) {
            return ScenePictures.lumaPsnrAgainstScene(picture, 0, width, height, scratch);
        }
        int frame = FrameCode.read(picture, width, height);
        byte[] lumaOfPicture = luma(picture);
        double best = Double.NEGATIVE_INFINITY;
        for (SceneState scene : scenes) {
            DemoScene.render(scratch, frame, scene);
            byte[] rendered = luma(ScenePictures.topDownRgb(scratch));
            best = Math.max(best, ScenePictures.psnr(lumaOfPicture, 0, rendered, rendered.length));
        }
        return best;
    }

    /** BT.601 luma, rounded, as {@link ScenePictures#lumaPsnrAgainstScene} takes it. */
    private static byte[] luma(byte[] rgb) {
        byte[] y = new byte[rgb.length / 3];
        for (int i = 0, p = 0; p < y.length; i += 3, p++) {
            y[p] = (byte) ((299 * (rgb[i] & 0xFF) + 587 * (rgb[i + 1] & 0xFF) + 114 * (rgb[i + 2] & 0xFF) + 500) / 1000);
        }
        return y;
    }

    /**
     * Every frame of the recording in decode order, scaled to a quarter of {@code width} by {@code height} (as the
     * viewer page's bench looks at its canvas), with its timestamp as the stream had it ({@code -copyts}, so that it
     * matches {@link DecodeWatch}'s) and how many of its pixels are near each of {@code colours} ({@code "#rrggbb"}).
     */
    static List<Shown> colours(String ffmpeg, Path recording, List<String> colours, int width, int height)
            throws IOException, InterruptedException {
        int w = width / 4;
        int h = height / 4;
        int[][] rgbs = colours.stream().map(c -> {
            int rgb = Integer.parseInt(c.substring(1), 16);
            return new int[] {rgb >>> 16, (rgb >>> 8) & 0xFF, rgb & 0xFF};
        }).toArray(int[][]::new);
        Path log = Files.createTempFile("rendercast-showinfo-", ".log");
        try {
            Process decoder = new ProcessBuilder(ffmpeg, "-hide_banner", "-nostdin", "-nostats", "-loglevel", "info",
                    "-copyts", "-i", recording.toString(), "-vf", "showinfo,scale=" + w + ":" + h,
                    "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1")
                    .redirectError(log.toFile()).start();
            byte[] picture = new byte[w * h * 3];
            List<int[]> counts = new ArrayList<>();
            try (InputStream in = decoder.getInputStream()) {
                while (in.readNBytes(picture, 0, picture.length) == picture.length) {
                    counts.add(near(picture, rgbs));
                }
                decoder.waitFor();
            } finally {
                decoder.destroy();
            }
            List<Double> timestamps = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = SHOWINFO.matcher(line);
                if (m.find()) {
                    timestamps.add(m.group(1).matches("-?[0-9.]+") ? Double.parseDouble(m.group(1)) : Double.NaN);
                }
            }
            if (timestamps.size() != counts.size()) {
                throw new IOException("ffmpeg decoded " + counts.size() + " pictures of " + recording + " and showed "
                        + timestamps.size() + " timestamps; expected one each");
            }
            List<Shown> shown = new ArrayList<>();
            for (int i = 0; i < counts.size(); i++) {
                shown.add(new Shown(timestamps.get(i), counts.get(i)));
            }
            return shown;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** How many pixels of an RGB24 picture are near each colour. */
    private static int[] near(byte[] rgb, int[][] colours) {
        int[] counts = new int[colours.length];
        for (int i = 0; i < rgb.length; i += 3) {
            int r = rgb[i] & 0xFF;
            int g = rgb[i + 1] & 0xFF;
            int b = rgb[i + 2] & 0xFF;
            for (int c = 0; c < colours.length; c++) {
                if (Math.abs(r - colours[c][0]) + Math.abs(g - colours[c][1]) + Math.abs(b - colours[c][2]) < NEAR) {
                    counts[c]++;
                }
            }
        }
        return counts;
    }
}
