package io.rendercast.rtmp.server.flv;

/** The FLV video codecs the seed names, by the name {@code Stream.useCodec} takes. */
public enum FlvVideoCodec {
    SORENSON_H263("sorenson", 2),
    SCREEN_VIDEO("screen video", 3),
    AVC("h264", 7);

    private final String codecName;
    private final int id;

    FlvVideoCodec(String codecName, int id) {
        this.codecName = codecName;
        this.id = id;
    }

    /** The name {@code Stream.useCodec} and encoders use. */
    public String codecName() {
        return codecName;
    }

    /** The FLV codec id (the low nibble of a video tag's first byte, and {@code videocodecid} in metadata). */
    public int id() {
        return id;
    }

    /** The codec of that name. */
    public static FlvVideoCodec byName(String name) {
        for (FlvVideoCodec codec : values()) {
            if (codec.codecName.equals(name)) {
                return codec;
            }
        }
        throw new IllegalArgumentException("unknown video codec '" + name
                + "'; expected \"h264\", \"sorenson\" or \"screen video\"");
    }
}
