package io.rendercast.benchmarks;

import io.rendercast.demo.ScenePictures;
import io.rendercast.video.RgbaCanvas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The PSNR of what a player received: FFmpeg decodes every {@value #EVERY}th frame of a recording of the stream
 * as it arrived, from a point on, and each picture's luma is compared with that of the frame the demo rendered for
 * it ({@link ScenePictures#lumaPsnrAgainstScene}: the coding loss, without chroma subsampling's). Over TCP a frame that arrives is the encoder's own, bit for bit; a frame the server
 * skipped is not in the recording (its gap is a freeze, counted apart).
 */
final class RecordedPictures {

    static final int EVERY = 10;

    /** The median and the lowest PSNR, in dB, of the frames looked at; NaN when none were. */
    record Quality(double medianDb, double lowestDb, int frames) {
    }

    private RecordedPictures() {
    }

    static Quality psnr(String ffmpeg, Path recording, double fromSeconds, int width, int height)
            throws IOException, InterruptedException {
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
                psnrs.add(ScenePictures.lumaPsnrAgainstScene(picture, 0, width, height, scratch));
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
}
