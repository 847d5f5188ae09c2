/**
 * The NVENC encoder: {@link io.rendercast.encoder.nvenc.NvencEncoderProvider} decides from NVML whether it can
 * run; {@link io.rendercast.encoder.nvenc.NvencEncoder} opens an NVENC session on a CUDA context and encodes
 * H.264 from device memory (a {@code CudaCanvas}) or from host memory (an RGBA canvas).
 */
package io.rendercast.encoder.nvenc;
