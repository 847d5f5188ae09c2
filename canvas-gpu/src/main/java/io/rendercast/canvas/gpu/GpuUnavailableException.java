package io.rendercast.canvas.gpu;

/** A GPU canvas cannot be made here; the message names what is missing (EGL, a driver, CUDA) and what to do. */
public class GpuUnavailableException extends Exception {

    private static final long serialVersionUID = 1L;

    public GpuUnavailableException(String message) {
        super(message);
    }

    public GpuUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
