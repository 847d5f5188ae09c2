package io.rendercast.encoder.avcodec;

/** Provides Sorenson H.263 encoders on libavcodec's {@code flv} encoder, on the CPU. */
public final class SorensonEncoderProvider extends AvcodecEncoderProvider {

    public SorensonEncoderProvider() {
        super("sorenson", "sorenson", "flv", SorensonEncoder::new);
    }
}
