/** Where the CUDA C sources of {@code native/} are packaged; NVRTC compiles them at run time. */
package io.rendercast.canvas.gpu.kernels;
