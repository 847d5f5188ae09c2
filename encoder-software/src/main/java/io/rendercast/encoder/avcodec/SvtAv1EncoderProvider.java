package io.rendercast.encoder.avcodec;

/** Provides AV1 encoders on SVT-AV1, on the CPU. */
public final class SvtAv1EncoderProvider extends AvcodecEncoderProvider {

    public SvtAv1EncoderProvider() {
        super("svt-av1", "av1", "libsvtav1", SvtAv1Encoder::new);
    }
}
