package io.rendercast.encoder.avcodec;

/** Provides HEVC encoders on libx265, on the CPU. */
public final class X265EncoderProvider extends AvcodecEncoderProvider {

    public X265EncoderProvider() {
        super("x265", "hevc", "libx265", X265Encoder::new);
    }
}
