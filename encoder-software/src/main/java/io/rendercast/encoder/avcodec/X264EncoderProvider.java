package io.rendercast.encoder.avcodec;

/** Provides H.264 encoders on libx264, on the CPU. */
public final class X264EncoderProvider extends AvcodecEncoderProvider {

    public X264EncoderProvider() {
        super("x264", "h264", "libx264", X264Encoder::new);
    }
}
