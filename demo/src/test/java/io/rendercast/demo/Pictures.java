package io.rendercast.demo;

import io.rendercast.video.RgbaCanvas;

/** Comparisons of decoded pictures with what the server rendered. */
final class Pictures {

    private Pictures() {
    }

    /** The canvas as top-down RGB24 rows, the way players hand out decoded frames. */
    static byte[] toTopDownRgb(RgbaCanvas canvas) {
        int width = canvas.resolutionX();
        int height = canvas.resolutionY();
        byte[] rgba = new byte[canvas.data().capacity()];
        canvas.data().get(0, rgba);
        byte[] rgb = new byte[width * height * 3];
        for (int row = 0; row < height; row++) {
            int from = (height - 1 - row) * width * 4;
            int to = row * width * 3;
            for (int x = 0; x < width; x++) {
                rgb[to + 3 * x] = rgba[from + 4 * x];
                rgb[to + 3 * x + 1] = rgba[from + 4 * x + 1];
                rgb[to + 3 * x + 2] = rgba[from + 4 * x + 2];
            }
        }
        return rgb;
    }

    /** Peak signal-to-noise ratio in dB over all RGB samples; infinite for identical pictures. */
    static double psnr(byte[] a, int aOffset, byte[] b, int length) {
        long squares = 0;
        for (int i = 0; i < length; i++) {
            int d = (a[aOffset + i] & 0xFF) - (b[i] & 0xFF);
            squares += (long) d * d;
        }
        if (squares == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double mse = (double) squares / length;
        return 10 * Math.log10(255.0 * 255.0 / mse);
    }

    /**
     * Checks every decoded frame in {@code rgbFrames} against the scene the server rendered for the frame
     * number its {@link FrameCode} spells; returns the lowest PSNR and the frame numbers seen.
     */
    static Match matchDecodedFrames(byte[] rgbFrames, int width, int height) {
        int frameBytes = width * height * 3;
        int frames = rgbFrames.length / frameBytes;
        RgbaCanvas canvas = new RgbaCanvas(width, height);
        double worst = Double.POSITIVE_INFINITY;
        int worstFrame = -1;
        int[] numbers = new int[frames];
        for (int f = 0; f < frames; f++) {
            byte[] frame = java.util.Arrays.copyOfRange(rgbFrames, f * frameBytes, (f + 1) * frameBytes);
            int number = FrameCode.read(frame, width, height);
            numbers[f] = number;
            DemoScene.render(canvas, number, SceneState.INITIAL);
            double psnr = psnr(frame, 0, toTopDownRgb(canvas), frameBytes);
            if (psnr < worst) {
                worst = psnr;
                worstFrame = f;
            }
        }
        return new Match(frames, worst, worstFrame, numbers);
    }

    record Match(int frames, double worstPsnr, int worstFrame, int[] frameNumbers) {

        /** Whether the frame numbers only go up, as a stream played in order does. */
        boolean increasing() {
            for (int i = 1; i < frameNumbers.length; i++) {
                if (frameNumbers[i] <= frameNumbers[i - 1]) {
                    return false;
                }
            }
            return true;
        }

        /** The figures without the frame numbers, for the test log. */
        String summary() {
            return frames + " frames decoded, lowest PSNR against the rendered frame " + (Double.isInfinite(worstPsnr)
                    ? "infinite (identical)" : String.format("%.2f dB", worstPsnr));
        }

        @Override
        public String toString() {
            return frames + " frames, lowest PSNR " + String.format("%.2f", worstPsnr) + " dB at frame " + worstFrame
                    + ", frame numbers " + java.util.Arrays.toString(frameNumbers);
        }
    }
}
