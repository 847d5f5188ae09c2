package io.rendercast.demo;

import io.rendercast.rtmp.CanvasRenderHandler;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.RgbaCanvas;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Draws the 2D {@link DemoScene} in Java, one frame per render. */
final class CpuSceneRenderer implements CanvasRenderHandler {

    private final AtomicReference<SceneState> state;
    private long frame;

    CpuSceneRenderer(AtomicReference<SceneState> state) {
        this.state = state;
    }

    /** Managed mode: draws the next frame into the server's canvas, which the server then converts and encodes. */
    @Override
    public boolean render(Stream stream, RgbaCanvas canvas) {
        DemoScene.render(canvas, frame++, state.get());
        return true;
    }

    /**
     * A render handler of the demo's own that draws the next frame into a canvas of {@code canvases}, and gives
     * it to {@code finished} on the render thread before the frame thread may take it.
     */
    RenderHandler into(FrameHandoff<RgbaCanvas> canvases, Consumer<RgbaCanvas> finished) {
        return stream -> {
            RgbaCanvas canvas = canvases.beginDraw();
            render(stream, canvas);
            finished.accept(canvas);
            canvases.finishDraw();
            return true;
        };
    }
}
