package io.rendercast.encoder.avcodec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;

import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;

/** H.264 on libx264, tuned for live streaming: zero latency, high profile, IDR frames on request. */
final class X264Encoder extends AvcodecEncoder {

    static final Set<String> PRESETS = Set.of("ultrafast", "superfast", "veryfast", "faster", "fast",
            "medium", "slow", "slower", "veryslow", "placebo");

    X264Encoder() {
        super("h264", "libx264", "veryfast");
    }

    @Override
    void configure(AVCodecContext context, AVDictionary options, Map<String, String> parameters) {
        // SPS and PPS go once into the init data (the AVC sequence header), not into every key frame.
        context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        avutil.av_dict_set(options, "preset", parameters.get(PRESET), 0);
        avutil.av_dict_set(options, "tune", "zerolatency", 0);
        avutil.av_dict_set(options, "profile", "high", 0);
        avutil.av_dict_set(options, "forced-idr", "1", 0);
    }

    @Override
    boolean changesBitrateWhileEncoding() {
        return true;
    }

    @Override
    Set<String> presets() {
        return PRESETS;
    }
}
