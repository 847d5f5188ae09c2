/** NVML, NVIDIA's management library, through JNA: which GPUs there are and whether they can encode. */
package io.rendercast.encoder.nvenc.nvml;
