package io.rendercast.encoder.x264;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderProvider;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/** Provides {@link X264Encoder}s: H.264 on the CPU, available wherever FFmpeg's GPL natives load. */
public final class X264EncoderProvider implements VideoEncoderProvider {

    private static volatile Availability availability;

    @Override
    public String name() {
        return "x264";
    }

    @Override
    public String codec() {
        return "h264";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        Availability known = availability;
        if (known == null) {
            known = probe();
            availability = known;
        }
        return known;
    }

    private static Availability probe() {
        try {
            Loader.load(avcodec.class);
            // libx264 prints its settings and statistics per encoder at INFO; a server wants warnings only.
            avutil.av_log_set_level(avutil.AV_LOG_WARNING);
            AVCodec codec = avcodec.avcodec_find_encoder_by_name("libx264");
            if (codec == null) {
                return Availability.unavailable(VideoEncoderException.Reason.LIBRARY_FAILURE,
                        "the FFmpeg natives loaded have no libx264 encoder: use the GPL build "
                                + "(org.bytedeco:ffmpeg, classifier linux-x86_64-gpl)");
            }
            return Availability.available("libx264 in FFmpeg " + avutil.av_version_info().getString()
                    + ", on the CPU");
        } catch (Throwable e) {
            return Availability.unavailable(VideoEncoderException.Reason.LIBRARY_FAILURE,
                    "FFmpeg's native libraries do not load here: " + e);
        }
    }

    @Override
    public VideoEncoder create() throws VideoEncoderException {
        Availability here = availability();
        if (!here.available()) {
            throw new VideoEncoderException(here.failure(), here.reason());
        }
        return new X264Encoder();
    }
}
