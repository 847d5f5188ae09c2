package io.rendercast.canvas.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.lwjgl.opengl.GL33C.*;

import io.rendercast.video.RgbaCanvas;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

/**
 * The GPU canvas where no GPU is: Mesa's llvmpipe renders through the surfaceless EGL platform, as on CI.
 */
class GpuSceneTest {

    static final int WIDTH = 320;
    static final int HEIGHT = 180;
    private static final String REFERENCE = "scene-320x180-frame10.rgba.gz";

    @Test
    void rendersTheSceneAsTheReferencePicture() throws Exception {
        GlAvailable.open().close();
        RgbaCanvas canvas = new RgbaCanvas(WIDTH, HEIGHT);
        try (GpuScene scene = GpuScene.open(WIDTH, HEIGHT)) {
            assertFalse(scene.platform().isBlank());
            scene.render(10, Camera.DEFAULT, 0xFF8C1A, canvas);
            assertEquals(10, scene.drain(canvas));
        }
        byte[] expected = reference();
        if (expected == null) {
            Path written = Path.of("target", REFERENCE);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(written))) {
                out.write(bytes(canvas));
            }
            fail("no reference picture yet: wrote " + written.toAbsolutePath() + "; look at it, then put it in "
                    + "canvas-gpu/src/test/resources/");
        }
        byte[] actual = bytes(canvas);
        long differences = 0;
        long far = 0;
        for (int i = 0; i < actual.length; i++) {
            int d = Math.abs((actual[i] & 0xFF) - (expected[i] & 0xFF));
            differences += d;
            far += d > 16 ? 1 : 0;
        }
        double meanDifference = (double) differences / actual.length;
        // Tolerance: other Mesa versions and GPUs round shading and rasterise edges differently.
        assertTrue(meanDifference <= 2.0, "mean difference " + meanDifference + " levels");
        assertTrue(far <= actual.length / 100, far + " samples differ by more than 16 levels");
    }

    @Test
    void theCameraCallMovesTheViewAndTheColourCallPaintsTheModel() throws Exception {
        GlAvailable.open().close();
        RgbaCanvas front = new RgbaCanvas(WIDTH, HEIGHT);
        RgbaCanvas turned = new RgbaCanvas(WIDTH, HEIGHT);
        RgbaCanvas painted = new RgbaCanvas(WIDTH, HEIGHT);
        try (GpuScene scene = GpuScene.open(WIDTH, HEIGHT)) {
            scene.render(10, Camera.DEFAULT, 0xFF8C1A, front);
            scene.drain(front);
            scene.render(10, Camera.DEFAULT.movedBy(150, -60), 0xFF8C1A, turned);
            scene.drain(turned);
            scene.render(10, Camera.DEFAULT, 0x3399FF, painted);
            scene.drain(painted);
        }
        assertTrue(differingPixels(front, turned) > WIDTH * HEIGHT / 20, "moving the camera changes the view");
        int centre = painted.pixel(WIDTH / 2 + 60, HEIGHT / 2);
        int before = front.pixel(WIDTH / 2 + 60, HEIGHT / 2);
        assertTrue((centre >>> 8 & 0xFF) > (centre >>> 24), "a blue model is bluer than red: " + Integer.toHexString(centre));
        assertTrue((before >>> 24) > (before >>> 8 & 0xFF), "the orange model was redder: " + Integer.toHexString(before));
    }

    private static int differingPixels(RgbaCanvas a, RgbaCanvas b) {
        int count = 0;
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                count += a.pixel(x, y) != b.pixel(x, y) ? 1 : 0;
            }
        }
        return count;
    }

    private static byte[] reference() throws IOException {
        InputStream resource = GpuSceneTest.class.getResourceAsStream("/" + REFERENCE);
        if (resource == null) {
            return null;
        }
        try (InputStream in = new GZIPInputStream(resource)) {
            return in.readAllBytes();
        }
    }

    @Test
    void keepsTheApisRowOrderFirstRowAtTheBottom() throws Exception {
        try (HeadlessGl gl = GlAvailable.open(); OffscreenTarget target = new OffscreenTarget(64, 32);
             PboReadback readback = new PboReadback(64, 32, 2)) {
            target.bind();
            glClearColor(0, 0, 1, 1); // blue everywhere...
            glClear(GL_COLOR_BUFFER_BIT);
            glEnable(GL_SCISSOR_TEST);
            glScissor(0, 24, 64, 8); // ...and red in OpenGL's top eight rows
            glClearColor(1, 0, 0, 1);
            glClear(GL_COLOR_BUFFER_BIT);
            glDisable(GL_SCISSOR_TEST);
            readback.submit(1);
            RgbaCanvas canvas = new RgbaCanvas(64, 32);
            assertEquals(1, readback.poll(canvas, true));
            assertEquals(0x0000FFFF, canvas.pixel(5, 0), "row 0 is the bottom row");
            assertEquals(0x0000FFFF, canvas.pixel(5, 23));
            assertEquals(0xFF0000FF, canvas.pixel(5, 24));
            assertEquals(0xFF0000FF, canvas.pixel(5, 31), "the last row is the top row");
        }
    }

    @Test
    void theReadbackRingReturnsTheFrameItSaysItDoes() throws GpuUnavailableException {
        try (HeadlessGl gl = GlAvailable.open(); OffscreenTarget target = new OffscreenTarget(32, 32);
             PboReadback readback = new PboReadback(32, 32, GpuScene.RING)) {
            RgbaCanvas canvas = new RgbaCanvas(32, 32);
            long expectedNext = 0;
            for (int frame = 0; frame < 12; frame++) {
                if (readback.full()) {
                    long delivered = readback.poll(canvas, true);
                    assertEquals(expectedNext++, delivered);
                    assertEquals(delivered * 20, canvas.pixel(7, 7) >>> 24, "pixels of frame " + delivered);
                }
                target.bind();
                glClearColor(frame * 20 / 255f, 0.5f, 0, 1);
                glClear(GL_COLOR_BUFFER_BIT);
                readback.submit(frame);
            }
            assertTrue(expectedNext >= 12 - GpuScene.RING, "a frame comes back at most " + GpuScene.RING
                    + " renders late");
            for (long delivered; (delivered = readback.poll(canvas, true)) >= 0; ) {
                assertEquals(expectedNext++, delivered);
                assertEquals(delivered * 20, canvas.pixel(0, 0) >>> 24);
            }
            assertEquals(12, expectedNext);
        }
    }

    private static byte[] bytes(io.rendercast.video.RgbaCanvas canvas) {
        byte[] copy = new byte[canvas.data().capacity()];
        canvas.data().get(0, copy);
        return copy;
    }
}
