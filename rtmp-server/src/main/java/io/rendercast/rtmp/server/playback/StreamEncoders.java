package io.rendercast.rtmp.server.playback;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;

/** Where a stream's encoder comes from when it picks a codec: the providers found at run time, or a test's. */
@FunctionalInterface
public interface StreamEncoders {

    /** A new encoder for {@code codec} ({@code "h264"}, ...). */
    VideoEncoder create(String codec) throws VideoEncoderException;

    /** Says, once at the server's start, which encoder its streams will get and why, or why none. */
    default void logChoice() {
    }

    /** The provider {@link VideoEncoders#select(String)} chooses for each codec. */
    static StreamEncoders fromProviders() {
        return new StreamEncoders() {
            @Override
            public VideoEncoder create(String codec) throws VideoEncoderException {
                return VideoEncoders.select(codec).create();
            }

            @Override
            public void logChoice() {
                EncoderChoiceLog.log(VideoEncoders.defaultChoice(), VideoEncoders.providers());
            }
        };
    }
}
