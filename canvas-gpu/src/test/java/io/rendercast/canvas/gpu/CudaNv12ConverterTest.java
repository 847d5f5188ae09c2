package io.rendercast.canvas.gpu;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What CI can check of the CUDA path: the kernel ships in the jar, and a scene without a GPU is refused clearly. */
class CudaNv12ConverterTest {

    @Test
    void theKernelSourceShipsInTheJar() {
        assertNotNull(CudaNv12Converter.class.getResource("kernels/rgba_to_nv12.cu"), "native/rgba_to_nv12.cu packaged");
    }

    @Test
    void refusesASceneThatNoNvidiaGpuRenders() throws GpuUnavailableException {
        GlAvailable.open().close();
        try (GpuScene scene = GpuScene.open(64, 64)) {
            if (scene.onNvidia()) {
                return; // a GPU machine: native/gpu-check is the test there
            }
            GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                    () -> CudaNv12Converter.open(scene));
            assertTrue(e.getMessage().contains("NVIDIA") && e.getMessage().contains(scene.platform()), e.getMessage());
        }
    }
}
