package io.rendercast.encoder.avcodec;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderProvider;
import java.util.function.Supplier;

/** A provider of one libavcodec encoder: available where FFmpeg's natives load and have that encoder. */
abstract class AvcodecEncoderProvider implements VideoEncoderProvider {

    private final String name;
    private final String codec;
    private final String libraryName;
    private final Supplier<AvcodecEncoder> factory;

    AvcodecEncoderProvider(String name, String codec, String libraryName, Supplier<AvcodecEncoder> factory) {
        this.name = name;
        this.codec = codec;
        this.libraryName = libraryName;
        this.factory = factory;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String codec() {
        return codec;
    }

    @Override
    public int priority() {
        return 10;
    }

    @Override
    public Availability availability() {
        return FfmpegLibraries.probe(libraryName);
    }

    @Override
    public VideoEncoder create() throws VideoEncoderException {
        Availability here = availability();
        if (!here.available()) {
            throw new VideoEncoderException(here.failure(), here.reason());
        }
        return factory.get();
    }
}
