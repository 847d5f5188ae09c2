package io.rendercast.encoder.nvenc;

/**
 * Provides NVENC AV1 encoders ({@code nvenc-av1}), ranked above SVT-AV1 where a GPU has NVENC; only GPUs from
 * Ada Lovelace on encode AV1, and an older one says so when the encoder opens.
 */
public final class NvencAv1EncoderProvider extends NvencEncoderProvider {

    public NvencAv1EncoderProvider() {
        super("nvenc-av1", NvencCodec.AV1);
    }
}
