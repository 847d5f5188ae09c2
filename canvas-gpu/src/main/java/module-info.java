/**
 * A GPU canvas: a lit 3D scene rendered with OpenGL through headless EGL, read back to the host without
 * stalling the render loop, and converted to NV12 on the GPU with CUDA for encoders that read device memory.
 */
module io.rendercast.canvas.gpu {
    requires io.rendercast.rtmp;
    requires org.lwjgl;
    requires org.lwjgl.egl;
    requires org.lwjgl.opengl;
    requires org.lwjgl.cuda;
    // The natives of the one platform the build names, resolved so that LWJGL finds them.
    requires org.lwjgl.natives;
    requires org.lwjgl.opengl.natives;

    exports io.rendercast.canvas.gpu;

    // NVRTC reads the kernel sources from this module's resources.
    opens io.rendercast.canvas.gpu.kernels;
}
