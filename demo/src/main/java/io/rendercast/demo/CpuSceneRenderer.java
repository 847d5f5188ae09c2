package io.rendercast.demo;

import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.RgbaCanvas;
import java.util.concurrent.atomic.AtomicReference;

/** Draws the 2D {@link DemoScene} in Java, one frame per render. */
final class CpuSceneRenderer implements RenderHandler {

    private final CanvasExchange<RgbaCanvas> canvases;
    private final AtomicReference<SceneState> state;
    private long frame;

    CpuSceneRenderer(CanvasExchange<RgbaCanvas> canvases, AtomicReference<SceneState> state) {
        this.canvases = canvases;
        this.state = state;
    }

    @Override
    public boolean handle(Stream stream) {
        RgbaCanvas canvas = canvases.beginRender();
        DemoScene.render(canvas, frame, state.get());
        canvases.finishRender(frame++);
        return true;
    }
}
