/**
 * Software video encoders: H.264 on x264 through JavaCPP's FFmpeg presets (the GPL build, which has libx264).
 */
module io.rendercast.encoder.software {
    requires io.rendercast.rtmp;
    requires org.bytedeco.ffmpeg;
    // The natives of the one platform the build names (javacpp.platform): required so that the module system
    // resolves them and JavaCPP finds the libraries in them.
    requires org.bytedeco.ffmpeg.linux.x86_64.gpl;
    requires org.bytedeco.javacpp.linux.x86_64;

    provides io.rendercast.video.VideoEncoderProvider with io.rendercast.encoder.x264.X264EncoderProvider;
}
