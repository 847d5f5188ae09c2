package io.rendercast.encoder.avcodec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * H.264 on libx264, tuned for live streaming: zero latency, high profile unless set ({@code profile}: a WebRTC
 * player may take only constrained baseline and main), IDR frames on request, and periodic intra refresh in place of
 * key frames when asked ({@code intra-refresh}).
 */
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
        avutil.av_dict_set(options, "profile", parameters.get(PROFILE), 0);
        avutil.av_dict_set(options, "forced-idr", "1", 0); // a key frame asked for is an IDR, refresh or not
        if ("true".equals(parameters.get(INTRA_REFRESH))) {
            avutil.av_dict_set(options, "intra-refresh", "1", 0);
        }
    }

    @Override
    Set<String> profiles() {
        return Set.of("baseline", "main", "high");
    }

    @Override
    boolean refreshesIntra() {
        return true;
    }

    /** Whether the frame's first slice is an IDR slice (NAL type 5), in Annex B as libx264 writes it. */
    @Override
    boolean startsAPicture(ByteBuffer frame) {
        int zeros = 0;
        for (int i = frame.position(); i < frame.limit(); i++) {
            int b = frame.get(i) & 0xFF;
            if (b == 1 && zeros >= 2 && i + 1 < frame.limit()) {
                int type = frame.get(i + 1) & 0x1F;
                if (type >= 1 && type <= 5) {
                    return type == 5;
                }
            }
            zeros = b == 0 ? zeros + 1 : 0;
        }
        return false;
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
