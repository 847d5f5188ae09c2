package io.rendercast.encoder.nvenc;

import io.rendercast.encoder.nvenc.nvml.GpuReport;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import io.rendercast.video.VideoEncoderProvider;
import java.util.stream.Collectors;

/**
 * Provides NVENC H.264 encoders ({@code nvenc}); its subclasses HEVC and AV1 ones. Ranked above x264, so {@code auto} takes it wherever it can run; where it cannot
 * (no NVIDIA driver, no GPU, a GPU without an NVENC engine such as the data-centre H100, or every session taken)
 * it says which, from NVML, before any encoder library loads.
 */
public class NvencEncoderProvider implements VideoEncoderProvider {

    private static volatile Availability availability;
    /** The GPU the availability reported, which encoders then open. */
    private static volatile GpuReport.Gpu reported;

    private final String name;
    private final NvencCodec codec;

    public NvencEncoderProvider() {
        this("nvenc", NvencCodec.H264);
    }

    NvencEncoderProvider(String name, NvencCodec codec) {
        this.name = name;
        this.codec = codec;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String codec() {
        return codec.codecName;
    }

    @Override
    public int priority() {
        return 20;
    }

    @Override
    public Availability availability() {
        Availability known = availability;
        if (known == null) {
            GpuReport report = GpuReport.read();
            reported = usableGpu(report);
            known = check(report);
            availability = known;
        }
        return known;
    }

    /** The first GPU with room on its NVENC engine, or null. */
    static GpuReport.Gpu usableGpu(GpuReport report) {
        return report.gpus().stream().filter(GpuReport.Gpu::canEncode).findFirst().orElse(null);
    }

    /** What a report of this machine's GPUs means for NVENC; the library itself is tried last. */
    static Availability check(GpuReport report) {
        if (report.driverProblem() != null) {
            return Availability.unavailable(Reason.NO_DEVICE, report.driverProblem());
        }
        if (report.gpus().isEmpty()) {
            return Availability.unavailable(Reason.NO_DEVICE, "no NVIDIA GPU (driver " + report.driverVersion() + ")");
        }
        GpuReport.Gpu usable = usableGpu(report);
        if (usable == null) {
            boolean busy = report.gpus().stream().anyMatch(g -> g.sessions() > 0);
            String gpus = report.gpus().stream().map(g -> g.name() + " (" + g.sessions() + " encoder sessions)")
                    .collect(Collectors.joining(", "));
            return Availability.unavailable(Reason.NO_DEVICE, busy
                    ? "every NVENC session is taken on " + gpus + ": the session limit is reached"
                    : "no NVENC engine on " + gpus + " (data-centre GPUs such as the H100 have none)");
        }
        String library = NvencLibrary.loadProblem();
        if (library != null) {
            return Availability.unavailable(Reason.LIBRARY_FAILURE, library);
        }
        return Availability.available("NVENC on GPU " + usable.index() + ", " + usable.name()
                + (usable.pciBusId() == null ? "" : " at PCI " + usable.pciBusId()) + " ("
                + usable.encoderCapacity() + "% of the encoder free, driver " + report.driverVersion() + ")");
    }

    @Override
    public VideoEncoder create() throws VideoEncoderException {
        Availability here = availability();
        if (!here.available()) {
            throw new VideoEncoderException(here.failure(), here.reason());
        }
        GpuReport.Gpu gpu = reported;
        return new NvencEncoder(gpu.index(), gpu.pciBusId(), codec); // the GPU the availability named
    }
}
