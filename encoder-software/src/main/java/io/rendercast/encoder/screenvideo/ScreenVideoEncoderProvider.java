package io.rendercast.encoder.screenvideo;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderProvider;

/** Provides Screen Video encoders; plain Java, so available everywhere. */
public final class ScreenVideoEncoderProvider implements VideoEncoderProvider {

    @Override
    public String name() {
        return "screen-video";
    }

    @Override
    public String codec() {
        return "screen video";
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return Availability.available("Screen Video in Java, zlib from the JDK");
    }

    @Override
    public VideoEncoder create() {
        return new ScreenVideoEncoder();
    }
}
