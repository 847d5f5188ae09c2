package io.rendercast.encoder.avcodec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;

import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * HEVC on libx265, tuned for live streaming as x264 is: zero latency (no B-frames, no lookahead), the parameter
 * sets once in the init data (VPS, SPS, PPS in Annex B), IDR frames on request.
 */
final class X265Encoder extends AvcodecEncoder {

    X265Encoder() {
        super("hevc", "libx265", "ultrafast");
    }

    @Override
    void configure(AVCodecContext context, AVDictionary options, Map<String, String> parameters) {
        context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        avutil.av_dict_set(options, "preset", parameters.get(PRESET), 0);
        avutil.av_dict_set(options, "tune", "zerolatency", 0);
        avutil.av_dict_set(options, "forced-idr", "1", 0);
        // Quiet: x265 prints its settings to stderr for every encoder otherwise.
        avutil.av_dict_set(options, "x265-params", "log-level=error:repeat-headers=0:info=0", 0);
    }

    /** x265 takes x264's preset names. */
    @Override
    Set<String> presets() {
        return X264Encoder.PRESETS;
    }
}
