package io.rendercast.rtmp.protocol.flv;

import java.util.Arrays;

/**
 * The video codecs a stream may use, by the name {@code Stream.useCodec} takes: the three Flash-era codecs
 * (H.264, Sorenson H.263 and Screen Video), carried in classic FLV video tags with their codec id, and HEVC and
 * AV1, carried in Enhanced RTMP's video tags with their FourCC (negotiated through {@code fourCcList} in connect).
 */
public enum FlvVideoCodec {
    SORENSON_H263("sorenson", 2, null),
    SCREEN_VIDEO("screen video", 3, null),
    AVC("h264", 7, "avc1"),
    HEVC("hevc", 0, "hvc1"),
    AV1("av1", 0, "av01");

    private final String codecName;
    private final int id;
    private final String fourCc;

    FlvVideoCodec(String codecName, int id, String fourCc) {
        this.codecName = codecName;
        this.id = id;
        this.fourCc = fourCc;
    }

    /** The name {@code Stream.useCodec} and encoders use. */
    public String codecName() {
        return codecName;
    }

    /** The classic FLV codec id (a video tag's low nibble); 0 for the codecs only Enhanced RTMP carries. */
    public int id() {
        return id;
    }

    /** The Enhanced RTMP FourCC ({@code avc1}, {@code hvc1}, {@code av01}), or null for the Flash-era codecs. */
    public String fourCc() {
        return fourCc;
    }

    /** Whether only Enhanced RTMP's FourCC video tags carry it. */
    public boolean enhanced() {
        return id == 0;
    }

    /** The FourCC as the number Enhanced RTMP writes for {@code videocodecid} in metadata. */
    public int fourCcNumber() {
        return fourCc.charAt(0) << 24 | fourCc.charAt(1) << 16 | fourCc.charAt(2) << 8 | fourCc.charAt(3);
    }

    /** The codec of that name. */
    public static FlvVideoCodec byName(String name) {
        for (FlvVideoCodec codec : values()) {
            if (codec.codecName.equals(name)) {
                return codec;
            }
        }
        throw new IllegalArgumentException("unknown video codec '" + name + "'; expected one of "
                + Arrays.stream(values()).map(c -> "\"" + c.codecName + "\"").toList());
    }
}
