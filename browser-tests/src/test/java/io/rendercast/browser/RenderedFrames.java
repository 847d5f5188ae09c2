package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.demo.FrameCode;
import io.rendercast.demo.ScenePictures;
import io.rendercast.video.RgbaCanvas;

/** Whether a picture a browser shows is one the demo rendered: its frame-number strip, and its PSNR against it. */
final class RenderedFrames {

    private RenderedFrames() {
    }

    /**
     * Asserts that {@code rgba}, a picture at the stream's size, shows the frame its strip names within 30 dB of
     * what the server rendered; prints the figures under {@code who}.
     */
    static void assertRendered(byte[] rgba, ViewerServer server, String who) {
        assertEquals(server.width * server.height * 4, rgba.length, "the picture at the stream's size");
        byte[] rgb = new byte[server.width * server.height * 3];
        for (int i = 0, o = 0; i < rgba.length; i += 4) {
            rgb[o++] = rgba[i];
            rgb[o++] = rgba[i + 1];
            rgb[o++] = rgba[i + 2];
        }
        int frame = FrameCode.read(rgb, server.width, server.height);
        double psnr = ScenePictures.psnrAgainstScene(rgb, 0, server.width, server.height,
                new RgbaCanvas(server.width, server.height));
        System.out.printf("%s shows frame %d at %.2f dB PSNR against the rendered one%n", who, frame, psnr);
        assertTrue(psnr >= 30, who + " matches the rendered frame " + frame + ": " + psnr + " dB");
    }
}
