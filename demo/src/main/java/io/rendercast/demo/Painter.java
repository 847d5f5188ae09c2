package io.rendercast.demo;

import java.nio.ByteBuffer;
import io.rendercast.video.RgbaCanvas;

/**
 * A few filled shapes drawn straight into an RGBA canvas, in canvas coordinates (y up from the bottom). Shapes
 * are clipped to the canvas.
 */
final class Painter {

    private Painter() {
    }

    static void fillRect(RgbaCanvas canvas, int x, int y, int w, int h, int rgb) {
        int x0 = Math.max(0, x);
        int y0 = Math.max(0, y);
        int x1 = Math.min(canvas.resolutionX(), x + w);
        int y1 = Math.min(canvas.resolutionY(), y + h);
        ByteBuffer data = canvas.data();
        byte r = (byte) (rgb >>> 16);
        byte g = (byte) (rgb >>> 8);
        byte b = (byte) rgb;
        for (int row = y0; row < y1; row++) {
            int i = (row * canvas.resolutionX() + x0) * 4;
            for (int col = x0; col < x1; col++, i += 4) {
                data.putInt(i, (r & 0xFF) << 24 | (g & 0xFF) << 16 | (b & 0xFF) << 8 | 0xFF);
            }
        }
    }

    static void fillCircle(RgbaCanvas canvas, int cx, int cy, int radius, int rgb) {
        ByteBuffer data = canvas.data();
        int width = canvas.resolutionX();
        for (int row = Math.max(0, cy - radius); row < Math.min(canvas.resolutionY(), cy + radius + 1); row++) {
            int dy = row - cy;
            int half = (int) Math.sqrt((double) radius * radius - dy * dy);
            int x0 = Math.max(0, cx - half);
            int x1 = Math.min(width, cx + half + 1);
            for (int col = x0, i = (row * width + x0) * 4; col < x1; col++, i += 4) {
                data.putInt(i, (rgb & 0xFFFFFF) << 8 | 0xFF);
            }
        }
    }

    /** A seven-segment digit, {@code size} pixels tall, its lower left corner at (x, y). */
    static void drawDigit(RgbaCanvas canvas, int digit, int x, int y, int size, int rgb) {
        // Segments a..g as bits 0..6; a at the top, going round clockwise, g in the middle.
        int[] masks = {0x3F, 0x06, 0x5B, 0x4F, 0x66, 0x6D, 0x7D, 0x07, 0x7F, 0x6F};
        int mask = masks[digit];
        int t = Math.max(2, size / 8);
        int w = size / 2;
        int h = size / 2;
        if ((mask & 0x01) != 0) fillRect(canvas, x, y + 2 * h - t, w, t, rgb);
        if ((mask & 0x02) != 0) fillRect(canvas, x + w - t, y + h, t, h, rgb);
        if ((mask & 0x04) != 0) fillRect(canvas, x + w - t, y, t, h, rgb);
        if ((mask & 0x08) != 0) fillRect(canvas, x, y, w, t, rgb);
        if ((mask & 0x10) != 0) fillRect(canvas, x, y, t, h, rgb);
        if ((mask & 0x20) != 0) fillRect(canvas, x, y + h, t, h, rgb);
        if ((mask & 0x40) != 0) fillRect(canvas, x, y + h - t / 2, w, t, rgb);
    }

    static void drawNumber(RgbaCanvas canvas, long number, int x, int y, int size, int rgb) {
        String digits = Long.toString(number);
        for (int i = 0; i < digits.length(); i++) {
            drawDigit(canvas, digits.charAt(i) - '0', x + i * (size * 2 / 3), y, size, rgb);
        }
    }
}
