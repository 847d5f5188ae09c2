package io.rendercast.canvas.gpu;

import static org.lwjgl.egl.EGL10.EGL_EXTENSIONS;
import static org.lwjgl.egl.EGL10.EGL_NONE;
import static org.lwjgl.egl.EGL10.EGL_NO_CONTEXT;
import static org.lwjgl.egl.EGL10.EGL_NO_DISPLAY;
import static org.lwjgl.egl.EGL10.EGL_NO_SURFACE;
import static org.lwjgl.egl.EGL10.EGL_PBUFFER_BIT;
import static org.lwjgl.egl.EGL12.EGL_RENDERABLE_TYPE;
import static org.lwjgl.egl.EGL10.EGL_SURFACE_TYPE;
import static org.lwjgl.egl.EGL10.EGL_VENDOR;

import java.nio.IntBuffer;
import org.lwjgl.BufferUtils;
import org.lwjgl.PointerBuffer;
import org.lwjgl.egl.EGL;
import org.lwjgl.egl.EGL10;
import org.lwjgl.egl.EGL12;
import org.lwjgl.egl.EGL14;
import org.lwjgl.egl.EGL15;
import org.lwjgl.opengl.GL;
import org.lwjgl.opengl.GL11C;
import org.lwjgl.system.FunctionProvider;
import org.lwjgl.system.JNI;
import org.lwjgl.system.MemoryUtil;

/**
 * An OpenGL 3.3 core context with no window and no X server, made current on the thread that opens it.
 *
 * <p>The platform is chosen at run time: an NVIDIA EGL device (EGL_EXT_platform_device) where the NVIDIA driver
 * offers one, else Mesa's surfaceless platform, which renders with llvmpipe on the CPU where there is no GPU.
 * Rendering goes to framebuffer objects, so no EGL surface is made.
 */
public final class HeadlessGl implements AutoCloseable {

    private static final int EGL_PLATFORM_DEVICE_EXT = 0x313F;
    private static final int EGL_PLATFORM_SURFACELESS_MESA = 0x31DD;

    private final long display;
    private final long context;
    private final String platform;
    private final Thread owner;

    private HeadlessGl(long display, long context, String platform) {
        this.display = display;
        this.context = context;
        this.platform = platform;
        this.owner = Thread.currentThread();
    }

    /**
     * Opens a context and makes it current on this thread.
     *
     * @throws GpuUnavailableException naming what is missing: the EGL library, a platform, a config, a context
     */
    public static HeadlessGl open() throws GpuUnavailableException {
        FunctionProvider egl;
        try {
            egl = EGL.getFunctionProvider();
            EGL.getCapabilities();
        } catch (Throwable e) {
            throw new GpuUnavailableException("no EGL library (libEGL.so.1) loads here: install the NVIDIA driver, "
                    + "or Mesa's EGL (Debian: libegl1 libegl-mesa0 libgl1-mesa-dri) for rendering on the CPU", e);
        }
        long getPlatformDisplay = egl.getFunctionAddress("eglGetPlatformDisplayEXT");
        if (getPlatformDisplay == 0) {
            throw new GpuUnavailableException("the EGL library has no eglGetPlatformDisplayEXT (EGL_EXT_platform_base)");
        }
        String platform;
        long display = EGL_NO_DISPLAY;
        long nvidia = nvidiaDevice(egl);
        if (nvidia != 0) {
            display = JNI.callPPP(EGL_PLATFORM_DEVICE_EXT, nvidia, 0L, getPlatformDisplay);
            platform = "NVIDIA EGL device";
        } else {
            platform = "Mesa surfaceless";
        }
        if (display == EGL_NO_DISPLAY) {
            display = JNI.callPPP(EGL_PLATFORM_SURFACELESS_MESA, 0L, 0L, getPlatformDisplay);
            platform = "Mesa surfaceless";
        }
        if (display == EGL_NO_DISPLAY) {
            throw new GpuUnavailableException("no headless EGL platform: neither an NVIDIA EGL device nor Mesa's "
                    + "surfaceless platform (EGL_MESA_platform_surfaceless) is offered");
        }
        IntBuffer major = BufferUtils.createIntBuffer(1);
        IntBuffer minor = BufferUtils.createIntBuffer(1);
        if (!EGL10.eglInitialize(display, major, minor)) {
            throw new GpuUnavailableException("eglInitialize failed on the " + platform + " platform: EGL error 0x"
                    + Integer.toHexString(EGL10.eglGetError()));
        }
        EGL.createDisplayCapabilities(display, major.get(0), minor.get(0));
        EGL12.eglBindAPI(EGL14.EGL_OPENGL_API);
        IntBuffer attributes = BufferUtils.createIntBuffer(8).put(new int[] {EGL_SURFACE_TYPE, EGL_PBUFFER_BIT,
                EGL_RENDERABLE_TYPE, EGL15.EGL_OPENGL_BIT, EGL_NONE}).flip();
        PointerBuffer configs = BufferUtils.createPointerBuffer(1);
        IntBuffer count = BufferUtils.createIntBuffer(1);
        if (!EGL10.eglChooseConfig(display, attributes, configs, count) || count.get(0) == 0) {
            EGL10.eglTerminate(display);
            throw new GpuUnavailableException("the " + platform + " platform has no OpenGL config");
        }
        IntBuffer contextAttributes = BufferUtils.createIntBuffer(8).put(new int[] {EGL15.EGL_CONTEXT_MAJOR_VERSION, 3,
                EGL15.EGL_CONTEXT_MINOR_VERSION, 3, EGL15.EGL_CONTEXT_OPENGL_PROFILE_MASK,
                EGL15.EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT, EGL_NONE}).flip();
        long context = EGL10.eglCreateContext(display, configs.get(0), EGL_NO_CONTEXT, contextAttributes);
        if (context == EGL_NO_CONTEXT || !EGL10.eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, context)) {
            int error = EGL10.eglGetError();
            EGL10.eglTerminate(display);
            throw new GpuUnavailableException("no OpenGL 3.3 core context on the " + platform
                    + " platform: EGL error 0x" + Integer.toHexString(error));
        }
        GL.createCapabilities();
        return new HeadlessGl(display, context, platform + " (" + EGL10.eglQueryString(display, EGL_VENDOR) + ", "
                + GL11C.glGetString(GL11C.GL_RENDERER) + ")");
    }

    /** The first EGL device that is an NVIDIA GPU (it offers EGL_NV_device_cuda), or 0. */
    private static long nvidiaDevice(FunctionProvider egl) {
        long queryDevices = egl.getFunctionAddress("eglQueryDevicesEXT");
        long queryDeviceString = egl.getFunctionAddress("eglQueryDeviceStringEXT");
        if (queryDevices == 0 || queryDeviceString == 0) {
            return 0;
        }
        PointerBuffer devices = BufferUtils.createPointerBuffer(16);
        IntBuffer found = BufferUtils.createIntBuffer(1);
        if (JNI.callPPI(devices.capacity(), MemoryUtil.memAddress(devices), MemoryUtil.memAddress(found),
                queryDevices) == 0) {
            return 0;
        }
        for (int i = 0; i < found.get(0); i++) {
            long extensions = JNI.callPP(devices.get(i), EGL_EXTENSIONS, queryDeviceString);
            if (extensions != 0 && MemoryUtil.memASCII(extensions).contains("EGL_NV_device_cuda")) {
                return devices.get(i);
            }
        }
        return 0;
    }

    /** What renders: the platform, the EGL vendor and the GL renderer. */
    public String platform() {
        return platform;
    }

    /** Whether this context renders on an NVIDIA GPU, so that CUDA can map its textures. */
    public boolean isNvidia() {
        return platform.startsWith("NVIDIA");
    }

    /** Releases the context; on the thread that opened it. */
    @Override
    public void close() {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a GL context is closed on the thread it is current on, "
                    + owner.getName() + ", not " + Thread.currentThread().getName());
        }
        EGL10.eglMakeCurrent(display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        EGL10.eglDestroyContext(display, context);
        EGL10.eglTerminate(display);
        GL.setCapabilities(null);
    }
}
