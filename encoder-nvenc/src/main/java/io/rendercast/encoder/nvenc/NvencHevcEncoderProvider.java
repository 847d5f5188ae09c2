package io.rendercast.encoder.nvenc;

/** Provides NVENC HEVC encoders ({@code nvenc-hevc}), ranked above x265 where a GPU has NVENC. */
public final class NvencHevcEncoderProvider extends NvencEncoderProvider {

    public NvencHevcEncoderProvider() {
        super("nvenc-hevc", NvencCodec.HEVC);
    }
}
