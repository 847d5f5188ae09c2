package io.rendercast.benchmarks;

import io.rendercast.demo.DemoScene;
import io.rendercast.demo.SceneState;
import io.rendercast.video.RgbaCanvas;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The demo scene's first frames, which the encode benchmarks encode: as canvases, and as raw top-down RGBA for
 * the ffmpeg command line to read, so that it encodes the very same pictures.
 */
final class DemoFrames {

    private DemoFrames() {
    }

    /** Frames {@code 0 .. count-1} of the demo scene, each on a canvas of its own. */
    static RgbaCanvas[] render(int width, int height, int count) {
        RgbaCanvas[] canvases = new RgbaCanvas[count];
        for (int i = 0; i < count; i++) {
            canvases[i] = new RgbaCanvas(width, height);
            DemoScene.render(canvases[i], i, SceneState.INITIAL);
        }
        return canvases;
    }

    /** Writes canvases to {@code file} as raw RGBA, rows top-down (canvases hold them bottom-up). */
    static void writeRaw(RgbaCanvas[] canvases, Path file) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (RgbaCanvas canvas : canvases) {
                int row = canvas.resolutionX() * 4;
                byte[] data = new byte[row * canvas.resolutionY()];
                canvas.data().get(0, data);
                for (int y = canvas.resolutionY() - 1; y >= 0; y--) {
                    out.write(data, y * row, row);
                }
            }
        }
    }
}
