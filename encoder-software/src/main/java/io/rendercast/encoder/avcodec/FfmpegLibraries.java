package io.rendercast.encoder.avcodec;

import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderProvider.Availability;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.Loader;

/** Loads FFmpeg's natives once and tells whether an encoder is in them. */
final class FfmpegLibraries {

    private static volatile Throwable loadFailure;
    private static volatile boolean loaded;

    private FfmpegLibraries() {
    }

    /** Whether libavcodec loads here and has the encoder named {@code encoderName}. */
    static Availability probe(String encoderName) {
        Throwable failure = load();
        if (failure != null) {
            return Availability.unavailable(VideoEncoderException.Reason.LIBRARY_FAILURE,
                    "FFmpeg's native libraries do not load here: " + failure);
        }
        if (avcodec.avcodec_find_encoder_by_name(encoderName) == null) {
            return Availability.unavailable(VideoEncoderException.Reason.LIBRARY_FAILURE, "the FFmpeg natives loaded "
                    + "have no " + encoderName + " encoder: use the GPL build (org.bytedeco:ffmpeg, classifier "
                    + "linux-x86_64-gpl)");
        }
        return Availability.available(encoderName + " in FFmpeg " + avutil.av_version_info().getString()
                + ", on the CPU");
    }

    private static synchronized Throwable load() {
        if (!loaded && loadFailure == null) {
            try {
                Loader.load(avcodec.class);
                // Encoders print their settings and statistics at INFO; a server wants warnings only.
                avutil.av_log_set_level(avutil.AV_LOG_WARNING);
                loaded = true;
            } catch (Throwable e) {
                loadFailure = e;
            }
        }
        return loadFailure;
    }
}
