package io.rendercast.rtmp.server.playback;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;

/** Where a stream's encoder comes from when it picks a codec: the providers found at run time, or a test's. */
@FunctionalInterface
public interface StreamEncoders {

    /** A new encoder for {@code codec} ({@code "h264"}, ...). */
    VideoEncoder create(String codec) throws VideoEncoderException;

    /** The provider {@link VideoEncoders#select(String)} chooses for each codec. */
    static StreamEncoders fromProviders() {
        return codec -> VideoEncoders.select(codec).create();
    }
}
