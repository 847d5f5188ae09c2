package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.rendercast.video.RgbaCanvas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Decoding of what players receive, and comparisons of the decoded pictures with what the server rendered. */
final class Pictures {

    /**
     * The PSNR no single frame of a lossy codec may fall below: far enough under the encoders' tuning point that
     * a frame the rate control gave fewer bits still passes, while a corrupt or torn picture (a decoding error, a
     * frame decoded without its references) lands below it.
     */
    static final double WORST_FRAME_FLOOR_DB = 30;

    private Pictures() {
    }

    /**
     * Has {@code ffmpeg} (Debian's or {@link BundledFfmpeg}'s) play or read {@code input} and write its first
     * {@code frames} decoded pictures to stdout as top-down RGB24, as {@link #matchDecodedFrames} takes them.
     * {@code inputOptions} go before {@code -i}.
     */
    static ExternalTool.Result decodeWithFfmpeg(ExternalTool ffmpeg, Duration timeout, String input, int frames,
                                                String... inputOptions) {
        List<String> args = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error"));
        args.addAll(List.of(inputOptions));
        // Every decoded picture once, as it came. Raw video carries no timestamps, so ffmpeg's automatic sync
        // for it is constant frame rate: it repeats a picture to fill a gap in the timestamps, and the server
        // leaves such gaps on purpose when a render overruns (the encoder's first frame is slow, a loaded
        // machine skips a tick). A repeated picture would then look like a frame out of order.
        args.addAll(List.of("-i", input, "-frames:v", Integer.toString(frames), "-fps_mode", "passthrough",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1"));
        return ffmpeg.run(timeout, args.toArray(String[]::new));
    }

    /** The canvas as top-down RGB24 rows, the way players hand out decoded frames. */
    static byte[] toTopDownRgb(RgbaCanvas canvas) {
        return ScenePictures.topDownRgb(canvas);
    }

    /**
     * Checks every decoded frame in {@code rgbFrames} against the scene the server rendered for the frame
     * number its {@link FrameCode} spells; returns the lowest and the median PSNR and the frame numbers seen.
     */
    static Match matchDecodedFrames(byte[] rgbFrames, int width, int height) {
        int frameBytes = width * height * 3;
        int frames = rgbFrames.length / frameBytes;
        RgbaCanvas canvas = new RgbaCanvas(width, height);
        double worst = Double.POSITIVE_INFINITY;
        int worstFrame = -1;
        int[] numbers = new int[frames];
        double[] psnrs = new double[frames];
        for (int f = 0; f < frames; f++) {
            byte[] frame = Arrays.copyOfRange(rgbFrames, f * frameBytes, (f + 1) * frameBytes);
            int number = FrameCode.read(frame, width, height);
            numbers[f] = number;
            DemoScene.render(canvas, number, SceneState.INITIAL);
            double psnr = ScenePictures.psnr(frame, 0, toTopDownRgb(canvas), frameBytes);
            psnrs[f] = psnr;
            if (psnr < worst) {
                worst = psnr;
                worstFrame = f;
            }
        }
        return new Match(frames, worst, median(psnrs), worstFrame, numbers);
    }

    private static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static String decibels(double psnr) {
        return Double.isInfinite(psnr) ? "infinite (identical)" : String.format("%.2f dB", psnr);
    }

    record Match(int frames, double worstPsnr, double medianPsnr, int worstFrame, int[] frameNumbers) {

        /**
         * Asserts that the frames arrived in order and that at least {@code minimumFrames} different ones did.
         * A number repeated at once is one picture handed out twice, not a frame out of order, so equal
         * neighbours count once; what is left must never go back.
         */
        void assertInOrder(int minimumFrames) {
            int[] distinct = distinctFrameNumbers();
            for (int i = 1; i < distinct.length; i++) {
                if (distinct[i] < distinct[i - 1]) {
                    fail("frames arrive in order: frame " + distinct[i] + " came after frame " + distinct[i - 1]
                            + "; " + this);
                }
            }
            assertTrue(distinct.length >= minimumFrames, "at least " + minimumFrames + " different frames, got "
                    + distinct.length + "; " + this);
        }

        /** The frame numbers with each run of equal ones as one. */
        int[] distinctFrameNumbers() {
            int[] distinct = new int[frameNumbers.length];
            int count = 0;
            for (int number : frameNumbers) {
                if (count == 0 || number != distinct[count - 1]) {
                    distinct[count++] = number;
                }
            }
            return Arrays.copyOf(distinct, count);
        }

        /**
         * Asserts that the pictures are the rendered ones: for a lossless codec ({@code tuningPointDb} infinite)
         * every frame exactly; for a lossy one, a median PSNR at least at the point its encoder is tuned for and
         * no frame below {@link #WORST_FRAME_FLOOR_DB}.
         *
         * <p>The median, not the worst frame, is held to the tuning point: rate control spreads an encoder's
         * frames around the quality it is tuned for, so the worst of 90 frames sitting at or above exactly that
         * point is the most fragile statistic there is (AV1's worst frame once came in at 34.95 dB against a bar
         * of 35). The floor still fails any frame that is broken.
         */
        void assertMatchesRendered(double tuningPointDb) {
            if (Double.isInfinite(tuningPointDb)) {
                assertTrue(Double.isInfinite(worstPsnr), "every frame identical to the rendered one: " + this);
                return;
            }
            assertTrue(medianPsnr >= tuningPointDb, "median PSNR at least " + tuningPointDb
                    + " dB, the encoder's tuning point: " + this);
            assertTrue(worstPsnr >= WORST_FRAME_FLOOR_DB, "no frame below " + WORST_FRAME_FLOOR_DB + " dB: " + this);
        }

        /** The figures without the frame numbers, for the test log. */
        String summary() {
            return frames + " frames decoded, PSNR against the rendered frame: lowest " + decibels(worstPsnr)
                    + ", median " + decibels(medianPsnr);
        }

        @Override
        public String toString() {
            return frames + " frames, lowest PSNR " + String.format("%.2f", worstPsnr) + " dB at frame " + worstFrame
                    + ", median " + String.format("%.2f", medianPsnr) + " dB, frame numbers "
                    + Arrays.toString(frameNumbers);
        }
    }
}
