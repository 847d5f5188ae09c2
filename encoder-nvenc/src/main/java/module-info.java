/**
 * H.264, HEVC and AV1 on NVIDIA's hardware encoder (NVENC), fed from GPU memory or from the host. Whether it can run is read
 * through NVML before anything else loads; on a machine without an NVIDIA driver, GPU or NVENC engine it says
 * which, and {@code auto} passes it over.
 */
module io.rendercast.encoder.nvenc {
    requires io.rendercast.rtmp;
    requires org.bytedeco.nvcodec;
    requires org.bytedeco.cuda;
    // The natives of the one platform the build names (javacpp.platform), resolved so that JavaCPP finds them.
    requires org.bytedeco.nvcodec.linux.x86_64;
    requires org.bytedeco.cuda.linux.x86_64;
    requires com.sun.jna;

    // JNA implements the NVML interface with a proxy and reads it reflectively.
    opens io.rendercast.encoder.nvenc.nvml to com.sun.jna;

    provides io.rendercast.video.VideoEncoderProvider with
            io.rendercast.encoder.nvenc.NvencEncoderProvider,
            io.rendercast.encoder.nvenc.NvencHevcEncoderProvider,
            io.rendercast.encoder.nvenc.NvencAv1EncoderProvider;
}
