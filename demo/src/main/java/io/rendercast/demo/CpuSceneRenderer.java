package io.rendercast.demo;

import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.RgbaCanvas;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/** Draws the 2D {@link DemoScene} in Java, one frame per render. */
final class CpuSceneRenderer implements RenderHandler {

    private final CanvasExchange<RgbaCanvas> canvases;
    private final AtomicReference<SceneState> state;
    private final Consumer<RgbaCanvas> finished;
    private long frame;

    /** @param finished given each finished canvas on the render thread, before the frame thread may take it */
    CpuSceneRenderer(CanvasExchange<RgbaCanvas> canvases, AtomicReference<SceneState> state,
                     Consumer<RgbaCanvas> finished) {
        this.canvases = canvases;
        this.state = state;
        this.finished = finished;
    }

    @Override
    public boolean handle(Stream stream) {
        RgbaCanvas canvas = canvases.beginRender();
        DemoScene.render(canvas, frame, state.get());
        finished.accept(canvas);
        canvases.finishRender(frame++);
        return true;
    }
}
