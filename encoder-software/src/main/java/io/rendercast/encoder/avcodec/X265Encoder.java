package io.rendercast.encoder.avcodec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_FLAG_GLOBAL_HEADER;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.global.avutil;

/**
 * HEVC on libx265, tuned for live streaming as x264 is: zero latency (no B-frames, no lookahead), the parameter
 * sets once in the init data (VPS, SPS, PPS in Annex B), IDR frames on request, and periodic intra refresh instead
 * of key frames when asked ({@code intra-refresh}).
 */
final class X265Encoder extends AvcodecEncoder {

    /** Quiet: x265 prints its settings to stderr for every encoder otherwise. */
    private static final String PARAMS = "log-level=error:repeat-headers=0:info=0";
    private static final int SPS = 33;

    X265Encoder() {
        super("hevc", "libx265", "ultrafast");
    }

    @Override
    void configure(AVCodecContext context, AVDictionary options, Map<String, String> parameters) {
        context.flags(context.flags() | AV_CODEC_FLAG_GLOBAL_HEADER);
        avutil.av_dict_set(options, "preset", parameters.get(PRESET), 0);
        avutil.av_dict_set(options, "tune", "zerolatency", 0);
        avutil.av_dict_set(options, "forced-idr", "1", 0);
        avutil.av_dict_set(options, "x265-params", x265Params(parameters), 0);
    }

    /**
     * With {@code intra-refresh}, x265's periodic intra refresh: a column of intra blocks sweeps the picture over
     * each key frame interval, in frames that refer to the last, instead of a key frame (as x264's).
     */
    private static String x265Params(Map<String, String> parameters) {
        return PARAMS + ("true".equals(parameters.get(INTRA_REFRESH)) ? ":intra-refresh=1" : "");
    }

    @Override
    boolean refreshesIntra() {
        return true;
    }

    /**
     * Opened again, x265 keeps the first level and starts its rate buffer a quarter full. It chooses the level by
     * the bit rate too, and at a lower rate would name a lower one than the sequence header players have (640x360
     * at 6 Mbit/s is level 3.1, at 1 Mbit/s level 3). And its first frame, a key frame, may take what the buffer
     * holds at the start, 90 % unless told: half a second at the new rate (62 KB at 1 Mbit/s, of noise), on a path
     * that has just slowed; a quarter full, 21 KB.
     */
    @Override
    void configureReopening(AVDictionary options, Map<String, String> parameters, byte[] sequenceHeader) {
        int level = generalLevelIdc(sequenceHeader);
        avutil.av_dict_set(options, "x265-params", x265Params(parameters) + ":vbv-init=0.25"
                + (level > 0 ? ":level-idc=" + level / 3 : ""), 0);
    }

    /**
     * The {@code general_level_idc} of the first SPS in an Annex B sequence header (30 times the level), or 0. It
     * is the 12th byte of the SPS's profile_tier_level, which follows the NAL header and one byte of ids.
     */
    static int generalLevelIdc(byte[] annexB) {
        for (int i = 0; i + 3 < annexB.length; i++) {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
                if ((annexB[i + 3] >> 1 & 0x3F) == SPS) {
                    byte[] rbsp = unescaped(annexB, i + 3, 16);
                    return rbsp.length >= 15 ? rbsp[14] & 0xFF : 0;
                }
                i += 2;
            }
        }
        return 0;
    }

    /** Up to {@code count} bytes of a NAL unit from {@code from}, without its emulation prevention bytes. */
    private static byte[] unescaped(byte[] bytes, int from, int count) {
        byte[] out = new byte[count];
        int n = 0;
        int zeros = 0;
        for (int i = from; i < bytes.length && n < count; i++) {
            if (zeros >= 2 && bytes[i] == 3) {
                zeros = 0;
                continue;
            }
            zeros = bytes[i] == 0 ? zeros + 1 : 0;
            out[n++] = bytes[i];
        }
        return Arrays.copyOf(out, n);
    }

    /** x265 takes x264's preset names. */
    @Override
    Set<String> presets() {
        return X264Encoder.PRESETS;
    }
}
