package io.rendercast.canvas.gpu;

import static org.lwjgl.cuda.CU.*;
import static org.lwjgl.cuda.CUGL.CU_GL_DEVICE_LIST_ALL;
import static org.lwjgl.cuda.CUGL.cuGLGetDevices;
import static org.lwjgl.cuda.CUGL.cuGraphicsGLRegisterImage;
import static org.lwjgl.cuda.NVRTC.*;

import io.rendercast.video.CudaCanvas;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.lwjgl.BufferUtils;
import org.lwjgl.PointerBuffer;
import org.lwjgl.cuda.CUDA_MEMCPY2D;
import org.lwjgl.cuda.CUDA_RESOURCE_DESC;
import org.lwjgl.cuda.CUDA_TEXTURE_DESC;
import org.lwjgl.system.MemoryStack;
import org.lwjgl.system.MemoryUtil;

/**
 * Converts the scene's rendered texture to NV12 in device memory with the kernel of {@code native/}, so that a
 * frame reaches NVENC without crossing to the host.
 *
 * <p>Made and used on the scene's thread, with its GL context current: the texture is registered with CUDA once
 * (CUDA-OpenGL interop) and mapped for each conversion. The kernel is compiled with NVRTC for this GPU. Everything
 * lives in the device's primary CUDA context, the one NVENC's encoder opens too, so the buffers go to it as they
 * are. It keeps {@value #SLOTS} NV12 buffers ({@link #canvases()}), so that the encoder reads one while the next
 * frame is converted into another.
 */
public final class CudaNv12Converter implements AutoCloseable {

    private static final int GL_TEXTURE_2D = 0x0DE1;
    /** CU_TRSF_READ_AS_INTEGER: read texels as integers, not normalised floats. */
    private static final int READ_AS_INTEGER = 0x01;
    private static final int BLOCK = 16;
    /** NV12 buffers: one the encoder reads, one newest finished, one being converted into. */
    public static final int SLOTS = 3;

    private final int width;
    private final int height;
    private final long context;
    private final long module;
    private final long nv12Kernel;
    private final long textureResource;
    private final List<CudaCanvas> canvases;
    private final int device;

    private CudaNv12Converter(int width, int height, long context, long module, long nv12Kernel,
                              long textureResource, List<CudaCanvas> canvases, int device) {
        this.width = width;
        this.height = height;
        this.context = context;
        this.module = module;
        this.nv12Kernel = nv12Kernel;
        this.textureResource = textureResource;
        this.canvases = canvases;
        this.device = device;
    }

    /** The NV12 buffers, each a canvas an encoder of device memory takes. */
    public List<CudaCanvas> canvases() {
        return canvases;
    }

    /**
     * Sets CUDA up for a scene rendered on an NVIDIA GPU.
     *
     * @throws GpuUnavailableException when the scene is not on an NVIDIA GPU, CUDA or NVRTC do not load, the
     *                                 kernel does not compile, or a CUDA call fails
     */
    public static CudaNv12Converter open(GpuScene scene) throws GpuUnavailableException {
        if (!scene.onNvidia()) {
            throw new GpuUnavailableException("CUDA maps only textures an NVIDIA GPU rendered; this scene renders on "
                    + scene.platform());
        }
        try (MemoryStack stack = MemoryStack.stackPush()) {
            check(cuInit(0), "cuInit");
            // The CUDA device that runs the current GL context: interop needs that one, whatever CUDA numbers it.
            IntBuffer count = stack.mallocInt(1);
            IntBuffer device = stack.mallocInt(1);
            check(cuGLGetDevices(count, device, CU_GL_DEVICE_LIST_ALL), "cuGLGetDevices");
            if (count.get(0) < 1) {
                throw new GpuUnavailableException("no CUDA device runs this GL context");
            }
            PointerBuffer context = stack.mallocPointer(1);
            check(cuDevicePrimaryCtxRetain(context, device.get(0)), "cuDevicePrimaryCtxRetain");
            check(cuCtxSetCurrent(context.get(0)), "cuCtxSetCurrent");
            IntBuffer major = stack.mallocInt(1);
            IntBuffer minor = stack.mallocInt(1);
            check(cuDeviceGetAttribute(major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device.get(0)), "major");
            check(cuDeviceGetAttribute(minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device.get(0)), "minor");
            ByteBuffer ptx = compile(kernelSource(), "compute_" + major.get(0) + minor.get(0));
            PointerBuffer module = stack.mallocPointer(1);
            check(cuModuleLoadData(module, ptx), "cuModuleLoadData");
            PointerBuffer kernel = stack.mallocPointer(1);
            check(cuModuleGetFunction(kernel, module.get(0), "rgba_to_nv12"), "cuModuleGetFunction(rgba_to_nv12)");
            PointerBuffer resource = stack.mallocPointer(1);
            check(cuGraphicsGLRegisterImage(resource, scene.texture(), GL_TEXTURE_2D,
                    CU_GRAPHICS_REGISTER_FLAGS_READ_ONLY), "cuGraphicsGLRegisterImage");
            List<CudaCanvas> slots = new java.util.ArrayList<>();
            for (int i = 0; i < SLOTS; i++) {
                PointerBuffer memory = stack.mallocPointer(1);
                PointerBuffer pitch = stack.mallocPointer(1);
                check(cuMemAllocPitch(memory, pitch, scene.width(), scene.height() * 3L / 2, 16), "cuMemAllocPitch");
                slots.add(new Nv12Canvas(scene.width(), scene.height(), memory.get(0), pitch.get(0),
                        context.get(0)));
            }
            return new CudaNv12Converter(scene.width(), scene.height(), context.get(0), module.get(0), kernel.get(0),
                    resource.get(0), List.copyOf(slots), device.get(0));
        } catch (LinkageError | IllegalStateException e) {
            throw new GpuUnavailableException("CUDA or NVRTC (from the NVIDIA driver and CUDA toolkit) do not load: "
                    + e.getMessage(), e);
        }
    }

    private static String kernelSource() throws GpuUnavailableException {
        try (InputStream in = CudaNv12Converter.class.getResourceAsStream("kernels/rgba_to_nv12.cu")) {
            if (in == null) {
                throw new GpuUnavailableException("the kernel source kernels/rgba_to_nv12.cu is not in canvas-gpu's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new GpuUnavailableException("cannot read the kernel source: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer compile(String source, String architecture) throws GpuUnavailableException {
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer program = stack.mallocPointer(1);
            checkNvrtc(nvrtcCreateProgram(program, source, "rgba_to_nv12.cu", null, null), "nvrtcCreateProgram");
            try {
                PointerBuffer options = stack.mallocPointer(1);
                options.put(0, stack.UTF8("--gpu-architecture=" + architecture));
                int compiled = nvrtcCompileProgram(program.get(0), options);
                if (compiled != NVRTC_SUCCESS) {
                    PointerBuffer logSize = stack.mallocPointer(1);
                    nvrtcGetProgramLogSize(program.get(0), logSize);
                    ByteBuffer log = BufferUtils.createByteBuffer((int) logSize.get(0));
                    nvrtcGetProgramLog(program.get(0), log);
                    throw new GpuUnavailableException("the kernel does not compile for " + architecture + ": "
                            + MemoryUtil.memUTF8Safe(log));
                }
                PointerBuffer size = stack.mallocPointer(1);
                checkNvrtc(nvrtcGetPTXSize(program.get(0), size), "nvrtcGetPTXSize");
                ByteBuffer ptx = BufferUtils.createByteBuffer((int) size.get(0));
                checkNvrtc(nvrtcGetPTX(program.get(0), ptx), "nvrtcGetPTX");
                return ptx;
            } finally {
                nvrtcDestroyProgram(program);
            }
        }
    }

    /** Converts the texture's current frame into the first NV12 buffer and returns it (for checks). */
    public CudaCanvas convert() throws GpuUnavailableException {
        return convert(canvases.getFirst());
    }

    /** Converts the texture's current frame into {@code into}, one of {@link #canvases()}, and returns it. */
    public CudaCanvas convert(CudaCanvas into) throws GpuUnavailableException {
        long devicePointer = into.devicePointer();
        long pitch = into.pitch();
        try (MemoryStack stack = MemoryStack.stackPush()) {
            PointerBuffer resources = stack.pointers(textureResource);
            check(cuGraphicsMapResources(resources, 0), "cuGraphicsMapResources");
            long texture = 0;
            try {
                PointerBuffer array = stack.mallocPointer(1);
                check(cuGraphicsSubResourceGetMappedArray(array, textureResource, 0, 0),
                        "cuGraphicsSubResourceGetMappedArray");
                CUDA_RESOURCE_DESC resource = CUDA_RESOURCE_DESC.calloc(stack).resType(CU_RESOURCE_TYPE_ARRAY);
                MemoryUtil.memPutAddress(resource.address() + CUDA_RESOURCE_DESC.RES_ARRAY_HARRAY, array.get(0));
                CUDA_TEXTURE_DESC sampling = CUDA_TEXTURE_DESC.calloc(stack)
                        .addressMode(0, CU_TR_ADDRESS_MODE_CLAMP).addressMode(1, CU_TR_ADDRESS_MODE_CLAMP)
                        .filterMode(CU_TR_FILTER_MODE_POINT).flags(READ_AS_INTEGER);
                LongBuffer textureObject = stack.mallocLong(1);
                check(cuTexObjectCreate(textureObject, resource, sampling, null), "cuTexObjectCreate");
                texture = textureObject.get(0);
                long uvPlane = devicePointer + pitch * height;
                // cuLaunchKernel takes the address of each argument's value.
                PointerBuffer parameters = stack.pointers(
                        MemoryUtil.memAddress(stack.longs(texture)),
                        MemoryUtil.memAddress(stack.pointers(devicePointer)),
                        MemoryUtil.memAddress(stack.pointers(pitch)),
                        MemoryUtil.memAddress(stack.pointers(uvPlane)),
                        MemoryUtil.memAddress(stack.pointers(pitch)),
                        MemoryUtil.memAddress(stack.ints(width)),
                        MemoryUtil.memAddress(stack.ints(height)));
                int blocksX = (width / 2 + BLOCK - 1) / BLOCK;
                int blocksY = (height / 2 + BLOCK - 1) / BLOCK;
                check(cuLaunchKernel(nv12Kernel, blocksX, blocksY, 1, BLOCK, BLOCK, 1, 0, 0, parameters, null),
                        "cuLaunchKernel(rgba_to_nv12)");
                check(cuCtxSynchronize(), "cuCtxSynchronize");
            } finally {
                if (texture != 0) {
                    cuTexObjectDestroy(texture);
                }
                check(cuGraphicsUnmapResources(resources, 0), "cuGraphicsUnmapResources");
            }
        }
        return into;
    }

    /** Copies the NV12 buffer to the host, tightly packed (for checks, never on the encode path). */
    public byte[] copyToHost() throws GpuUnavailableException {
        long devicePointer = canvases.getFirst().devicePointer();
        long pitch = canvases.getFirst().pitch();
        ByteBuffer host = BufferUtils.createByteBuffer(width * height * 3 / 2);
        try (MemoryStack stack = MemoryStack.stackPush()) {
            CUDA_MEMCPY2D copy = CUDA_MEMCPY2D.calloc(stack)
                    .srcMemoryType(CU_MEMORYTYPE_DEVICE).srcDevice(devicePointer).srcPitch(pitch)
                    .dstMemoryType(CU_MEMORYTYPE_HOST).dstHost(host).dstPitch(width)
                    .WidthInBytes(width).Height(height * 3L / 2);
            check(cuMemcpy2D(copy), "cuMemcpy2D");
        }
        byte[] bytes = new byte[host.remaining()];
        host.get(bytes);
        return bytes;
    }

    @Override
    public void close() {
        for (CudaCanvas canvas : canvases) {
            cuMemFree(canvas.devicePointer());
        }
        cuGraphicsUnregisterResource(textureResource);
        cuModuleUnload(module);
        cuDevicePrimaryCtxRelease(device);
    }

    private static void check(int status, String call) throws GpuUnavailableException {
        if (status != CUDA_SUCCESS) {
            String name;
            try (MemoryStack stack = MemoryStack.stackPush()) {
                PointerBuffer text = stack.mallocPointer(1);
                name = cuGetErrorName(status, text) == CUDA_SUCCESS ? MemoryUtil.memASCII(text.get(0)) : "CUDA error";
            }
            throw new GpuUnavailableException(call + " failed: " + name + " (" + status + ")");
        }
    }

    private static void checkNvrtc(int status, String call) throws GpuUnavailableException {
        if (status != NVRTC_SUCCESS) {
            throw new GpuUnavailableException(call + " failed: NVRTC status " + status);
        }
    }

    private record Nv12Canvas(int resolutionX, int resolutionY, long devicePointer, long pitch, long cudaContext)
            implements CudaCanvas {
        @Override
        public String format() {
            return "NV12";
        }
    }
}
