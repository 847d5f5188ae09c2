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
 * Writes the frames {@link X264EncodeBenchmark} encodes as raw top-down RGBA, so that the ffmpeg command line can
 * encode the very same pictures: {@code DemoFrames FILE WIDTH HEIGHT COUNT}.
 */
public final class DemoFrames {

    private DemoFrames() {
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[0]);
        int width = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        RgbaCanvas canvas = new RgbaCanvas(width, height);
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20)) {
            for (int frame = 0; frame < count; frame++) {
                DemoScene.render(canvas, frame, SceneState.INITIAL);
                byte[] data = new byte[width * height * 4];
                canvas.data().get(0, data);
                for (int row = height - 1; row >= 0; row--) {
                    out.write(data, row * width * 4, width * 4);
                }
            }
        }
    }
}
