package io.rendercast.canvas.gpu;

import io.rendercast.video.RgbaCanvas;

/**
 * The demo's 3D scene on the GPU: a headless context, an offscreen framebuffer, the renderer and the readback
 * ring. Lives on one thread, the one that opened it (the stream's render thread), and is closed there.
 */
public final class GpuScene implements AutoCloseable {

    /** Frames in flight between render and readback: a frame comes back two renders later. */
    static final int RING = 3;

    private final HeadlessGl gl;
    private final OffscreenTarget target;
    private final SceneRenderer renderer;
    private final PboReadback readback;

    private GpuScene(HeadlessGl gl, OffscreenTarget target, SceneRenderer renderer, PboReadback readback) {
        this.gl = gl;
        this.target = target;
        this.renderer = renderer;
        this.readback = readback;
    }

    /**
     * Opens the scene on this thread at a size.
     *
     * @throws GpuUnavailableException naming what is missing
     */
    public static GpuScene open(int width, int height) throws GpuUnavailableException {
        HeadlessGl gl = HeadlessGl.open();
        OffscreenTarget target = null;
        try {
            target = new OffscreenTarget(width, height);
            return new GpuScene(gl, target, new SceneRenderer(), new PboReadback(width, height, RING));
        } catch (GpuUnavailableException | RuntimeException e) {
            if (target != null) {
                target.close();
            }
            gl.close();
            throw e;
        }
    }

    /** What renders it. */
    public String platform() {
        return gl.platform();
    }

    /** The GL context's platform is an NVIDIA GPU, where CUDA can map {@link #texture()}. */
    public boolean onNvidia() {
        return gl.isNvidia();
    }

    /** The colour texture the scene is rendered into (RGBA8, rows from the bottom). */
    public int texture() {
        return target.colorTexture;
    }

    public int width() {
        return target.width;
    }

    public int height() {
        return target.height;
    }

    /**
     * Renders frame {@code frame} and starts reading it back. When the readback ring is full, the oldest frame is
     * first copied into {@code into}.
     *
     * @return the number of the frame now in {@code into}, or -1 when no frame has come back since the last call
     */
    public long render(long frame, Camera camera, int rgb, RgbaCanvas into) {
        long delivered = readback.full() ? readback.poll(into, true) : readback.poll(into, false);
        target.bind();
        renderer.draw(frame, camera, rgb, target.width, target.height);
        readback.submit(frame);
        return delivered;
    }

    /**
     * Renders frame {@code frame} into {@link #texture()} only, for a converter that takes it from there in GPU
     * memory ({@link CudaNv12Converter}); nothing is read back.
     */
    public void renderOnGpu(long frame, Camera camera, int rgb) {
        target.bind();
        renderer.draw(frame, camera, rgb, target.width, target.height);
    }

    /** Waits for the oldest frame still being read and copies it into {@code into}; -1 when none is. */
    public long drain(RgbaCanvas into) {
        return readback.poll(into, true);
    }

    @Override
    public void close() {
        readback.close();
        renderer.close();
        target.close();
        gl.close();
    }
}
