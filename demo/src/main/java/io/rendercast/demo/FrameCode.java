package io.rendercast.demo;

import io.rendercast.video.RgbaCanvas;

/**
 * A strip of 16 black or white blocks along the bottom of each frame that spells the frame's number, so that a
 * player's decoded picture can be matched to the frame the server rendered.
 */
public final class FrameCode {

    public static final int BITS = 16;

    private FrameCode() {
    }

    private static int blockWidth(int width) {
        return width / (BITS + 4);
    }

    private static int blockHeight(int height) {
        return Math.max(8, height / 18);
    }

    /** Draws {@code number}'s low 16 bits, most significant first, in the canvas's lowest rows. */
    static void draw(RgbaCanvas canvas, int number) {
        int bw = blockWidth(canvas.resolutionX());
        int bh = blockHeight(canvas.resolutionY());
        Painter.fillRect(canvas, bw, 0, BITS * bw + 2 * (bw / 4), bh + bw / 4, 0x202020);
        for (int bit = 0; bit < BITS; bit++) {
            boolean set = ((number >>> (BITS - 1 - bit)) & 1) != 0;
            Painter.fillRect(canvas, bw + bw / 4 + bit * bw, bw / 8, bw, bh, set ? 0xFFFFFF : 0x000000);
        }
    }

    /**
     * Reads the number from a decoded picture given as top-down RGB24 rows (the way players hand it out).
     * Each block is read at its centre, where compression leaves the colour alone.
     */
    public static int read(byte[] rgb, int width, int height) {
        int bw = blockWidth(width);
        int bh = blockHeight(height);
        int number = 0;
        for (int bit = 0; bit < BITS; bit++) {
            int cx = bw + bw / 4 + bit * bw + bw / 2;
            int cyFromBottom = bw / 8 + bh / 2;
            int row = height - 1 - cyFromBottom;
            int sum = 0;
            for (int dy = -2; dy <= 2; dy++) {
                for (int dx = -2; dx <= 2; dx++) {
                    int i = ((row + dy) * width + cx + dx) * 3;
                    sum += (rgb[i] & 0xFF) + (rgb[i + 1] & 0xFF) + (rgb[i + 2] & 0xFF);
                }
            }
            number = number << 1 | (sum / 75 > 128 ? 1 : 0);
        }
        return number;
    }
}
