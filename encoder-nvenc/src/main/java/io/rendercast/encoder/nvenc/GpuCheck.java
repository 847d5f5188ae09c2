package io.rendercast.encoder.nvenc;

import io.rendercast.encoder.nvenc.nvml.GpuReport;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderProvider.Availability;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.cuda.cudart.CUDA_MEMCPY2D_v2;
import org.bytedeco.cuda.cudart.CUctx_st;
import org.bytedeco.cuda.global.cudart;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.SizeTPointer;

/**
 * The check {@code encoder-nvenc/gpu-check} runs on a machine with an NVIDIA GPU. On a GPU with NVENC it encodes
 * 300 NV12 frames from device memory into an H.264 Annex B file (for ffmpeg to check) and prints the frame
 * rate; on a GPU without NVENC it checks that the provider says so. Anything else is a failure, exit status 1:
 * a machine with a GPU must not skip.
 */
public final class GpuCheck {

    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    private static final int FRAMES = 300;

    private GpuCheck() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "nvenc-check.h264");
        GpuReport report = GpuReport.read();
        System.out.println("NVML: driver " + report.driverVersion() + ", GPUs " + report.gpus()
                + (report.driverProblem() == null ? "" : ", problem: " + report.driverProblem()));
        Availability availability = new NvencEncoderProvider().availability();
        System.out.println("nvenc provider: " + (availability.available() ? "available: " : "unavailable: ")
                + availability.reason());
        if (report.driverProblem() != null || report.gpus().isEmpty()) {
            fail("this check is for machines with an NVIDIA GPU, and NVML sees none");
        }
        if (report.gpus().stream().noneMatch(GpuReport.Gpu::canEncode)) {
            if (availability.available() || !availability.reason().contains("no NVENC engine")) {
                fail("the GPUs have no free NVENC engine, but the provider does not say so");
            }
            System.out.println("OK: no NVENC engine on this GPU, and the provider says so; nothing to encode");
            return;
        }
        if (!availability.available()) {
            fail("NVML sees an NVENC engine, but the provider cannot use it: " + availability.reason());
        }
        encodeFromDeviceMemory(output);
    }

    private static void encodeFromDeviceMemory(Path output) throws VideoEncoderException, IOException {
        check(cudart.cuInit(0), "cuInit");
        IntPointer device = new IntPointer(1);
        GpuReport.Gpu gpu = NvencEncoderProvider.usableGpu(GpuReport.read());
        check(cudart.cuDeviceGetByPCIBusId(device, gpu.pciBusId()), "cuDeviceGetByPCIBusId");
        // The device's primary context, as any CUDA code in a process gets it: the encoder finds it by itself.
        CUctx_st context = new CUctx_st();
        check(cudart.cuDevicePrimaryCtxRetain(context, device.get()), "cuDevicePrimaryCtxRetain");
        check(cudart.cuCtxSetCurrent(context), "cuCtxSetCurrent");
        LongPointer frameMemory = new LongPointer(1);
        SizeTPointer pitch = new SizeTPointer(1);
        check(cudart.cuMemAllocPitch(frameMemory, pitch, WIDTH, HEIGHT * 3L / 2, 16), "cuMemAllocPitch");
        long devicePointer = frameMemory.get();
        CudaCanvas canvas = new NvCanvas(devicePointer, pitch.get(), context.address());
        NvencEncoder encoder = new NvencEncoder(gpu.index(), gpu.pciBusId(), NvencCodec.H264);
        BytePointer host = new BytePointer((long) WIDTH * HEIGHT * 3 / 2);
        int keyFrames = 0;
        long bytes = 0;
        try (OutputStream out = Files.newOutputStream(output)) {
            VideoData headers = encoder.init(WIDTH, HEIGHT);
            out.write(headers.toByteArray());
            System.out.println("NVENC codecs on this GPU: " + encoder.getParameter(NvencEncoder.CODECS));
            long start = System.nanoTime();
            for (int frame = 0; frame < FRAMES; frame++) {
                fillNv12(host, frame);
                CUDA_MEMCPY2D_v2 copy = new CUDA_MEMCPY2D_v2();
                copy.srcMemoryType(cudart.CU_MEMORYTYPE_HOST).srcHost(host).srcPitch(WIDTH);
                copy.dstMemoryType(cudart.CU_MEMORYTYPE_DEVICE).dstDevice(devicePointer).dstPitch(pitch.get());
                copy.WidthInBytes(WIDTH).Height(HEIGHT * 3L / 2);
                check(cudart.cuMemcpy2D(copy), "cuMemcpy2D");
                if (frame == 150) {
                    encoder.requestKeyFrame();
                }
                VideoData encoded = encoder.encode(canvas);
                out.write(encoded.toByteArray());
                bytes += encoded.size();
                keyFrames += encoded.keyFrame() ? 1 : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("encoded %d frames of %dx%d NV12 from device memory in %.2f s: %.1f fps (upload "
                    + "included), %d bytes, %d key frames%n", FRAMES, WIDTH, HEIGHT, seconds, FRAMES / seconds, bytes,
                    keyFrames);
        } finally {
            encoder.close();
            cudart.cuMemFree(devicePointer);
            cudart.cuDevicePrimaryCtxRelease(device.get());
            host.close();
        }
        if (keyFrames < 2) {
            fail("expected the first frame and the requested one to be key frames, got " + keyFrames);
        }
    }

    /** A moving gradient in Y with a bright square; flat chroma. */
    private static void fillNv12(BytePointer host, int frame) {
        byte[] row = new byte[WIDTH];
        for (int y = 0; y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                boolean square = Math.abs(x - (frame * 4) % WIDTH) < 40 && Math.abs(y - HEIGHT / 2) < 40;
                row[x] = (byte) (square ? 235 : 16 + (x + y + frame) % 200);
            }
            host.position((long) y * WIDTH).put(row);
        }
        java.util.Arrays.fill(row, (byte) 128);
        for (int y = 0; y < HEIGHT / 2; y++) {
            host.position((long) (HEIGHT + y) * WIDTH).put(row);
        }
        host.position(0);
    }

    private static void check(int status, String call) {
        if (status != 0) {
            fail(call + " failed with CUDA error " + status);
        }
    }

    private static void fail(String why) {
        System.out.println("FAIL: " + why);
        System.exit(1);
    }

    private record NvCanvas(long devicePointer, long pitch, long cudaContext) implements CudaCanvas {
        @Override
        public int resolutionX() {
            return WIDTH;
        }

        @Override
        public int resolutionY() {
            return HEIGHT;
        }

        @Override
        public String format() {
            return "NV12";
        }
    }
}
