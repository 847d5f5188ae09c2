package io.rendercast.encoder.avcodec;

import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avutil.AVDictionary;

/**
 * Sorenson H.263 (FLV codec 2) on libavcodec's {@code flv} encoder, the codec Flash Player 6 brought. Each frame
 * is a whole picture with its own header; there is no init data.
 */
final class SorensonEncoder extends AvcodecEncoder {

    SorensonEncoder() {
        super("sorenson", "flv", null);
    }

    @Override
    void configure(AVCodecContext context, AVDictionary options, Map<String, String> parameters) {
        // H.263's quantiser goes up to 31; capping it keeps sharp edges readable when a frame is busy, at the
        // cost of overshooting the bit rate on such frames.
        context.qmin(2);
        context.qmax(8);
        context.rc_buffer_size(0);
        context.rc_max_rate(0);
    }

    @Override
    Set<String> presets() {
        return Set.of();
    }
}
