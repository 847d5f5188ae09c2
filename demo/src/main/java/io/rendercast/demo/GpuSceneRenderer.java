package io.rendercast.demo;

import io.rendercast.canvas.gpu.Camera;
import io.rendercast.canvas.gpu.CudaNv12Converter;
import io.rendercast.canvas.gpu.GpuScene;
import io.rendercast.canvas.gpu.GpuUnavailableException;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoEncoder;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Renders the 3D scene of canvas-gpu on the stream's render thread, where its GL context lives from the first
 * frame to {@link #renderStopped}. It picks the frames' path at the first frame and logs which:
 * <ul>
 * <li>to an encoder that takes GPU memory (NVENC), when the scene renders on an NVIDIA GPU: converted to NV12 in
 * GPU memory by CUDA, and handed over as a {@code CudaCanvas}, with no copy to the host;</li>
 * <li>otherwise read back to host memory without stalling, a frame reaching the encoder two renders after it
 * was drawn.</li>
 * </ul>
 * Where no GPU canvas can be made, says why once and draws the CPU scene instead.
 */
final class GpuSceneRenderer implements RenderHandler {

    private static final System.Logger LOG = System.getLogger(GpuSceneRenderer.class.getName());

    private final FrameHandoff<RgbaCanvas> canvases;
    private final AtomicReference<FrameHandoff<CudaCanvas>> onGpu;
    private final AtomicReference<SceneState> state;
    private final int width;
    private final int height;
    private final Consumer<RgbaCanvas> finished;
    private final RenderHandler fallback;
    private GpuScene scene;
    private CudaNv12Converter converter;
    private FrameHandoff<CudaCanvas> deviceFrames;
    private boolean fellBack;
    private long frame;

    /**
     * @param onGpu    set to the NV12 buffers in GPU memory when frames go to the encoder that way
     * @param finished given each finished host canvas on the render thread, before the frame thread may take it
     */
    GpuSceneRenderer(FrameHandoff<RgbaCanvas> canvases, AtomicReference<FrameHandoff<CudaCanvas>> onGpu,
                     AtomicReference<SceneState> state, int width, int height, Consumer<RgbaCanvas> finished) {
        this.canvases = canvases;
        this.onGpu = onGpu;
        this.state = state;
        this.width = width;
        this.height = height;
        this.finished = finished;
        this.fallback = new CpuSceneRenderer(state).into(canvases, finished);
    }

    @Override
    public boolean handle(Stream stream) throws Exception {
        if (scene == null && !fellBack) {
            try {
                scene = GpuScene.open(width, height);
                LOG.log(System.Logger.Level.INFO, "{0}: GPU canvas on {1}; {2}", stream.streamName(),
                        scene.platform(), choosePath(stream));
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
        if (deviceFrames != null) {
            scene.renderOnGpu(frame++, camera, now.color());
            CudaCanvas slot = deviceFrames.beginDraw();
            try {
                converter.convert(slot);
            } catch (GpuUnavailableException e) {
                deviceFrames.cancelDraw();
                LOG.log(System.Logger.Level.ERROR, "{0}: converting to NV12 failed: {1}", stream.streamName(),
                        e.getMessage());
                return false;
            }
            deviceFrames.finishDraw();
            return true;
        }
        RgbaCanvas canvas = canvases.beginDraw();
        if (scene.render(frame++, camera, now.color(), canvas) >= 0) {
            finished.accept(canvas);
            canvases.finishDraw();
        } else {
            canvases.cancelDraw(); // no read back had finished: nothing new to encode
        }
        return true;
    }

    /** GPU memory to the encoder where it can take it, else host memory; says which, and why. */
    private String choosePath(Stream stream) {
        VideoEncoder encoder = stream.videoEncoder();
        if (encoder == null || !encoder.supportedTypes().contains("NV12")) {
            return "frames read back to host memory: the encoder ("
                    + (encoder == null ? "the demo's own" : encoder.identifier()) + ") takes host memory only";
        }
        if (!scene.onNvidia()) {
            return "frames read back to host memory: CUDA cannot map a texture rendered on " + scene.platform();
        }
        try {
            converter = CudaNv12Converter.open(scene);
        } catch (GpuUnavailableException | LinkageError e) {
            return "frames read back to host memory: " + e.getMessage();
        }
        List<CudaCanvas> buffers = converter.canvases();
        deviceFrames = new FrameHandoff<>(buffers.get(0), buffers.get(1), buffers.get(2));
        onGpu.set(deviceFrames);
        return "frames go to " + encoder.identifier() + " as NV12 in GPU memory, with no copy to the host";
    }

    @Override
    public void renderStopped(Stream stream) {
        if (deviceFrames != null) {
            onGpu.set(null);
            try {
                // The frame thread may still be encoding from a buffer: it is freed once it is done.
                deviceFrames.awaitNoEncode(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            converter.close();
            converter = null;
            deviceFrames = null;
        }
        if (scene != null) {
            scene.close();
            scene = null;
        }
    }
}
