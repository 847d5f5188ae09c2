package io.rendercast.demo;

import io.rendercast.canvas.gpu.Camera;
import io.rendercast.canvas.gpu.GpuScene;
import io.rendercast.canvas.gpu.GpuUnavailableException;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.RgbaCanvas;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Renders the 3D scene of canvas-gpu on the stream's render thread, where its GL context lives from the first
 * frame to {@link #renderStopped}. A frame reaches the encoder two renders after it was drawn, read back without
 * stalling. Where no GPU canvas can be made, says why once and draws the CPU scene instead.
 */
final class GpuSceneRenderer implements RenderHandler {

    private static final System.Logger LOG = System.getLogger(GpuSceneRenderer.class.getName());

    private final CanvasExchange canvases;
    private final AtomicReference<SceneState> state;
    private final int width;
    private final int height;
    private final CpuSceneRenderer fallback;
    private GpuScene scene;
    private boolean fellBack;
    private long frame;

    GpuSceneRenderer(CanvasExchange canvases, AtomicReference<SceneState> state, int width, int height) {
        this.canvases = canvases;
        this.state = state;
        this.width = width;
        this.height = height;
        this.fallback = new CpuSceneRenderer(canvases, state);
    }

    @Override
    public boolean handle(Stream stream) {
        if (scene == null && !fellBack) {
            try {
                scene = GpuScene.open(width, height);
                LOG.log(System.Logger.Level.INFO, "{0}: GPU canvas on {1}", stream.streamName(), scene.platform());
            } catch (GpuUnavailableException | LinkageError e) {
                fellBack = true;
                String reason = "GPU canvas unavailable, drawing the CPU scene instead: " + e.getMessage();
                LOG.log(System.Logger.Level.WARNING, reason);
                System.err.println(reason);
            }
        }
        if (scene == null) {
            return fallback.handle(stream);
        }
        SceneState now = state.get();
        Camera camera = Camera.DEFAULT.movedBy(now.cameraX(), now.cameraY());
        RgbaCanvas canvas = canvases.beginRender();
        long delivered = scene.render(frame++, camera, now.color(), canvas);
        if (delivered >= 0) {
            canvases.finishRender(delivered);
        } else {
            canvases.cancelRender();
        }
        return true;
    }

    @Override
    public void renderStopped(Stream stream) {
        if (scene != null) {
            scene.close();
            scene = null;
        }
    }
}
