package io.rendercast.encoder.nvenc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.encoder.nvenc.nvml.GpuReport;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import io.rendercast.video.VideoEncoderProvider;
import io.rendercast.video.VideoEncoderProvider.Availability;
import io.rendercast.video.VideoEncoders;
import java.util.List;
import org.junit.jupiter.api.Test;

class NvencEncoderProviderTest {

    @Test
    void loadsThroughTheServiceLoaderAndSaysWhetherItCanRunHere() {
        VideoEncoderProvider nvenc = VideoEncoders.providers().stream().filter(p -> p.name().equals("nvenc"))
                .findFirst().orElseThrow();
        Availability here = nvenc.availability();
        GpuReport report = GpuReport.read();
        if (report.driverProblem() != null) {
            // CI and this project's machines: no NVIDIA driver at all.
            assertFalse(here.available());
            assertEquals(Reason.NO_DEVICE, here.failure());
            assertTrue(here.reason().contains("no NVIDIA driver") || here.reason().contains("does not answer"),
                    here.reason());
            VideoEncoderException e = assertThrows(VideoEncoderException.class, nvenc::create);
            assertEquals(Reason.NO_DEVICE, e.reason());
        } else {
            assertEquals(report.gpus().stream().anyMatch(GpuReport.Gpu::canEncode), here.available()
                    || here.failure() == Reason.LIBRARY_FAILURE, here.reason());
        }
    }

    @Test
    void namesEachReasonItCannotRun() {
        Availability noDriver = NvencEncoderProvider.check(new GpuReport("no NVIDIA driver: NVML missing", null,
                List.of()));
        assertEquals(Reason.NO_DEVICE, noDriver.failure());
        assertTrue(noDriver.reason().startsWith("no NVIDIA driver"));

        Availability noGpu = NvencEncoderProvider.check(new GpuReport(null, "580.82", List.of()));
        assertTrue(noGpu.reason().contains("no NVIDIA GPU"), noGpu.reason());

        Availability h100 = NvencEncoderProvider.check(new GpuReport(null, "580.82",
                List.of(new GpuReport.Gpu(0, "NVIDIA H100 80GB HBM3", 0, 0, "00000000:17:00.0"))));
        assertEquals(Reason.NO_DEVICE, h100.failure());
        assertTrue(h100.reason().contains("no NVENC engine on NVIDIA H100"), h100.reason());

        Availability full = NvencEncoderProvider.check(new GpuReport(null, "580.82",
                List.of(new GpuReport.Gpu(0, "NVIDIA GeForce RTX 3060", 0, 8, null))));
        assertTrue(full.reason().contains("session limit is reached"), full.reason());
    }

    @Test
    void encoderRefusesBadParametersBeforeTouchingTheGpu() {
        NvencEncoder encoder = new NvencEncoder(0, null, NvencCodec.H264);
        assertEquals(Reason.UNSUPPORTED_RESOLUTION, assertThrows(VideoEncoderException.class,
                () -> encoder.init(8192, 720)).reason());
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter(NvencEncoder.PRESET, "p9")).reason());
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter("cudaContext", "12345")).reason()); // no handles passed as strings
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.encode(new io.rendercast.video.RgbaCanvas(64, 64))).reason());
        assertEquals("p3", encoder.getParameter(NvencEncoder.PRESET));
    }
}
