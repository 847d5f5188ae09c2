package io.rendercast.demo;

import io.rendercast.video.RgbaCanvas;

/**
 * A player's decoded picture against the frame the demo rendered: the picture's {@link FrameCode} names the frame,
 * {@link DemoScene} renders it again, and PSNR over every RGB sample says how close the two are. For the tests and
 * benchmarks that check what players show, with the scene as no input changed it ({@link SceneState#INITIAL}).
 */
public final class ScenePictures {

    private ScenePictures() {
    }

    /** The canvas as top-down RGB24 rows, the way players hand out decoded frames. */
    public static byte[] topDownRgb(RgbaCanvas canvas) {
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

    /** Peak signal-to-noise ratio in dB of {@code length} samples of {@code a} from {@code aOffset} against
     * {@code b}'s first; infinite for identical pictures. */
    public static double psnr(byte[] a, int aOffset, byte[] b, int length) {
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
     * The PSNR of a decoded picture ({@code width} by {@code height} top-down RGB24 from {@code offset}) against the
     * frame its code names, rendered again into {@code scratch} (of the same size), over every RGB sample: what the
     * player shows, chroma subsampling's loss included (which alone keeps the demo under about 39 dB).
     */
    public static double psnrAgainstScene(byte[] rgb, int offset, int width, int height, RgbaCanvas scratch) {
        byte[] picture = picture(rgb, offset, width, height);
        DemoScene.render(scratch, FrameCode.read(picture, width, height), SceneState.INITIAL);
        return psnr(picture, 0, topDownRgb(scratch), picture.length);
    }

    /**
     * As {@link #psnrAgainstScene}, over the pictures' luma (BT.601 weights) only: what the encoder's bit rate
     * decides. Chroma subsampling moves colour, not luma, so this is the coding loss alone.
     */
    public static double lumaPsnrAgainstScene(byte[] rgb, int offset, int width, int height, RgbaCanvas scratch) {
        byte[] picture = picture(rgb, offset, width, height);
        DemoScene.render(scratch, FrameCode.read(picture, width, height), SceneState.INITIAL);
        return psnr(luma(picture), 0, luma(topDownRgb(scratch)), width * height);
    }

    private static byte[] picture(byte[] rgb, int offset, int width, int height) {
        int length = width * height * 3;
        return offset == 0 && rgb.length == length ? rgb : java.util.Arrays.copyOfRange(rgb, offset, offset + length);
    }

    private static byte[] luma(byte[] rgb) {
        byte[] y = new byte[rgb.length / 3];
        for (int i = 0, p = 0; p < y.length; i += 3, p++) {
            y[p] = (byte) ((299 * (rgb[i] & 0xFF) + 587 * (rgb[i + 1] & 0xFF) + 114 * (rgb[i + 2] & 0xFF) + 500) / 1000);
        }
        return y;
    }
}
