package io.rendercast.video;

/**
 * A canvas whose pixels stay in GPU memory, for encoders that read them there without a copy to the host.
 */
public interface CudaCanvas {

    int resolutionX();

    int resolutionY();

    /** The pixel layout in device memory, such as {@code "NV12"}, {@code "I420"} or {@code "Rgba"}. */
    String format();

    /** The CUDA device pointer of the first row. */
    long devicePointer();

    /** Bytes from one row to the next. */
    long pitch();

    /** The CUDA context that owns the memory. */
    long cudaContext();
}
