/**
 * Software video encoders: H.264 on x264, HEVC on x265, AV1 on SVT-AV1 and Sorenson H.263 through JavaCPP's
 * FFmpeg presets (the GPL build, which has them all), and Screen Video in Java.
 */
module io.rendercast.encoder.software {
    requires io.rendercast.rtmp;
    requires org.bytedeco.ffmpeg;
    // The natives of the one platform the build names (javacpp.platform): required so that the module system
    // resolves them and JavaCPP finds the libraries in them.
    requires org.bytedeco.ffmpeg.linux.x86_64.gpl;
    requires org.bytedeco.javacpp.linux.x86_64;

    provides io.rendercast.video.VideoEncoderProvider with
            io.rendercast.encoder.avcodec.X264EncoderProvider,
            io.rendercast.encoder.avcodec.X265EncoderProvider,
            io.rendercast.encoder.avcodec.SvtAv1EncoderProvider,
            io.rendercast.encoder.avcodec.SorensonEncoderProvider,
            io.rendercast.encoder.screenvideo.ScreenVideoEncoderProvider;
}
