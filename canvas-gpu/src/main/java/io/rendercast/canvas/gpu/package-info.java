/**
 * The GPU canvas. {@link io.rendercast.canvas.gpu.GpuScene} opens a headless OpenGL context
 * ({@link io.rendercast.canvas.gpu.HeadlessGl}) on the calling thread, renders the scene into an offscreen
 * framebuffer and reads frames back through a ring of pixel buffers ({@link io.rendercast.canvas.gpu.PboReadback});
 * the CUDA kernels in {@code native/} turn the rendered texture into NV12 in device memory.
 */
package io.rendercast.canvas.gpu;
