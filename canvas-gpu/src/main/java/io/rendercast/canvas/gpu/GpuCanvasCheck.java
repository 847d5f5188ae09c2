package io.rendercast.canvas.gpu;

import io.rendercast.video.RgbaCanvas;

/**
 * The check {@code native/gpu-check} runs on a machine with an NVIDIA GPU: the scene at 1080p and 4K, rendered
 * through EGL on the GPU, read back through the PBO ring, and converted to NV12 by the CUDA kernel, whose output
 * (copied back for this check only) must match the CPU reference within one level. Prints the figures; exits 1
 * on any failure, never skips.
 */
public final class GpuCanvasCheck {

    private static final int FRAMES = 120;

    private GpuCanvasCheck() {
    }

    public static void main(String[] args) {
        try {
            for (int[] size : new int[][] {{1920, 1080}, {3840, 2160}}) {
                check(size[0], size[1]);
            }
            System.out.println("gpu-check: OK");
        } catch (GpuUnavailableException | RuntimeException e) {
            System.out.println("gpu-check: FAIL: " + e.getMessage());
            e.printStackTrace(System.out);
            System.exit(1);
        }
    }

    private static void check(int width, int height) throws GpuUnavailableException {
        RgbaCanvas canvas = new RgbaCanvas(width, height);
        try (GpuScene scene = GpuScene.open(width, height)) {
            System.out.printf("%dx%d on %s%n", width, height, scene.platform());
            if (!scene.onNvidia()) {
                throw new GpuUnavailableException("the scene does not render on the NVIDIA GPU: " + scene.platform());
            }
            long start = System.nanoTime();
            for (int frame = 0; frame < FRAMES; frame++) {
                scene.render(frame, Camera.DEFAULT, 0xFF8C1A, canvas);
            }
            while (scene.drain(canvas) >= 0) {
                // the frames still in the ring
            }
            double loop = (System.nanoTime() - start) / 1e9;
            System.out.printf("  render loop with PBO readback: %.1f fps (%.2f ms a frame)%n", FRAMES / loop,
                    loop * 1000 / FRAMES);

            // One frame, read back and converted, so the two can be compared.
            scene.render(FRAMES, Camera.DEFAULT, 0xFF8C1A, canvas);
            long readStart = System.nanoTime();
            long delivered = scene.drain(canvas);
            double readMs = (System.nanoTime() - readStart) / 1e6;
            if (delivered != FRAMES) {
                throw new IllegalStateException("the readback returned frame " + delivered + ", expected " + FRAMES);
            }
            System.out.printf("  readback of one frame, waited for: %.2f ms%n", readMs);
            try (CudaNv12Converter converter = CudaNv12Converter.open(scene)) {
                converter.convert();
                int runs = 50;
                long convertStart = System.nanoTime();
                for (int i = 0; i < runs; i++) {
                    converter.convert();
                }
                double convertMs = (System.nanoTime() - convertStart) / 1e6 / runs;
                System.out.printf("  RGBA to NV12 in CUDA (map, kernel, unmap, synchronise): %.3f ms a frame%n",
                        convertMs);
                byte[] gpu = converter.copyToHost();
                byte[] cpu = Nv12Reference.toNv12(canvas);
                int worst = 0;
                for (int i = 0; i < cpu.length; i++) {
                    worst = Math.max(worst, Math.abs((gpu[i] & 0xFF) - (cpu[i] & 0xFF)));
                }
                System.out.printf("  kernel against the CPU reference: largest difference %d level(s)%n", worst);
                if (worst > 1) {
                    throw new IllegalStateException("the CUDA kernel differs from the CPU reference by " + worst
                            + " levels");
                }
            }
        }
    }
}
