package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The demo with {@code --canvas gpu}, where no GPU is: llvmpipe renders the 3D scene, and ffmpeg plays it. The
 * decoded picture must be the scene (a dark background with the orange torus in the middle), not the CPU one.
 */
class GpuCanvasInteropTest {

    @Test
    void ffmpegPlaysTheGpuRenderedScene() {
        DemoOptions options = DemoOptions.defaults().on("127.0.0.1", 0, DemoServer.WIDTH, DemoServer.HEIGHT)
                .withCanvas("gpu");
        try (DemoServer server = new DemoServer(new DemoApplication(options))) {
            ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(90),
                    server.url("live", "torus"), 10);
            assertEquals(0, decoded.exitCode(), decoded.describe());
            int frameBytes = DemoServer.WIDTH * DemoServer.HEIGHT * 3;
            assertEquals(10 * frameBytes, decoded.stdout().length);
            byte[] last = java.util.Arrays.copyOfRange(decoded.stdout(), 9 * frameBytes, 10 * frameBytes);
            int[] corner = pixel(last, 8, 8);
            assertTrue(corner[0] < 40 && corner[1] < 45 && corner[2] > 25 && corner[2] < 70,
                    "dark blue background, got " + java.util.Arrays.toString(corner));
            int orange = 0;
            for (int y = DemoServer.HEIGHT / 4; y < 3 * DemoServer.HEIGHT / 4; y += 4) {
                for (int x = DemoServer.WIDTH / 4; x < 3 * DemoServer.WIDTH / 4; x += 4) {
                    int[] p = pixel(last, x, y);
                    orange += p[0] > 120 && p[0] > p[2] + 60 ? 1 : 0;
                }
            }
            assertTrue(orange > 200, "the torus in the middle: " + orange + " orange samples");
        }
    }

    private static int[] pixel(byte[] rgb, int x, int y) {
        int i = (y * DemoServer.WIDTH + x) * 3;
        return new int[] {rgb[i] & 0xFF, rgb[i + 1] & 0xFF, rgb[i + 2] & 0xFF};
    }
}
