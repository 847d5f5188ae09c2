package io.rendercast.demo;

import java.nio.ByteBuffer;
import io.rendercast.video.RgbaCanvas;

/**
 * The demo's picture: a slowly shifting gradient, orbiting discs in the viewer's colour, a sliding bar, the
 * frame number in seven-segment digits, and the {@link FrameCode} strip.
 *
 * <p>A pure function of the frame number and the {@link SceneState}, so a test can render again exactly what
 * the server streamed.
 */
public final class DemoScene {

    private DemoScene() {
    }

    /** Renders frame {@code frame} of the scene into {@code canvas}. */
    public static void render(RgbaCanvas canvas, long frame, SceneState state) {
        int width = canvas.resolutionX();
        int height = canvas.resolutionY();
        ByteBuffer data = canvas.data();
        int shift = (int) (frame % 512);
        for (int y = 0; y < height; y++) {
            int g = 40 + 60 * y / height;
            int i = y * width * 4;
            for (int x = 0; x < width; x++, i += 4) {
                int wave = (x + shift) & 511;
                int r = 20 + (wave < 256 ? wave : 511 - wave) / 4;
                data.putInt(i, (r & 0xFF) << 24 | (g & 0xFF) << 16 | ((90 + 80 * x / width) & 0xFF) << 8 | 0xFF);
            }
        }
        int cx = width / 2 + state.cameraX();
        int cy = height / 2 + state.cameraY();
        int orbit = Math.min(width, height) / 4;
        int radius = Math.max(4, Math.min(width, height) / 12);
        for (int k = 0; k < 3; k++) {
            double angle = frame * 0.05 + k * (2 * Math.PI / 3);
            int color = k == 0 ? state.color() : blend(state.color(), k == 1 ? 0xFFFFFF : 0x000000);
            Painter.fillCircle(canvas, cx + (int) (orbit * Math.cos(angle)), cy + (int) (orbit * Math.sin(angle)),
                    radius, color);
        }
        int barWidth = width / 8;
        int travel = width - barWidth;
        int phase = (int) ((frame * 4) % (2L * travel));
        int barX = phase < travel ? phase : 2 * travel - phase;
        Painter.fillRect(canvas, barX, height - height / 6, barWidth, height / 24, 0xF0F0F0);
        int digitSize = Math.max(12, height / 10);
        Painter.drawNumber(canvas, frame, width / 40, height - digitSize - height / 40, digitSize, 0xFFFF40);
        FrameCode.draw(canvas, (int) frame);
    }

    private static int blend(int a, int b) {
        int r = (((a >>> 16) & 0xFF) + ((b >>> 16) & 0xFF)) / 2;
        int g = (((a >>> 8) & 0xFF) + ((b >>> 8) & 0xFF)) / 2;
        int bl = ((a & 0xFF) + (b & 0xFF)) / 2;
        return r << 16 | g << 8 | bl;
    }
}
