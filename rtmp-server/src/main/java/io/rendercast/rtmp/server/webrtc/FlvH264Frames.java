package io.rendercast.rtmp.server.webrtc;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the H.264 in the FLV video tags a stream's sender writes (what RTMP carries) as RTP wants it: an access
 * unit's NAL units without lengths or start codes. The sequence header's SPS and PPS are kept and put before each
 * key frame's slices, since a WebRTC receiver takes its parameter sets in band and may join at any key frame.
 */
final class FlvH264Frames {

    private static final int AVC = 7;
    private static final int SEQUENCE_HEADER = 0;
    private static final int NALU = 1;

    private List<byte[]> parameterSets = List.of();

    /**
     * The NAL units of the frame in {@code tag}, an FLV video tag's body; empty for a sequence header (kept) or a
     * tag that carries no picture.
     *
     * @throws IllegalArgumentException for a tag that is not classic H.264, or whose lengths run past it
     */
    List<byte[]> read(ByteBuf tag) {
        ByteBuf in = tag.duplicate();
        if (in.readableBytes() < 5) {
            return List.of();
        }
        int first = in.readUnsignedByte();
        if ((first & 0x80) != 0 || (first & 0x0F) != AVC) {
            throw new IllegalArgumentException("WebRTC carries H.264 here; the stream's tag is codec "
                    + ((first & 0x80) != 0 ? "of Enhanced RTMP" : String.valueOf(first & 0x0F)));
        }
        boolean keyFrame = (first >> 4) == 1;
        int packetType = in.readUnsignedByte();
        in.skipBytes(3); // composition time
        if (packetType == SEQUENCE_HEADER) {
            parameterSets = readConfiguration(in);
            return List.of();
        }
        if (packetType != NALU) {
            return List.of();
        }
        List<byte[]> nals = new ArrayList<>(keyFrame ? parameterSets : List.of());
        while (in.readableBytes() >= 4) {
            int length = in.readInt();
            if (length <= 0 || length > in.readableBytes()) {
                throw new IllegalArgumentException("a NAL unit of " + length + " bytes in a tag with "
                        + in.readableBytes() + " left");
            }
            byte[] nal = new byte[length];
            in.readBytes(nal);
            nals.add(nal);
        }
        return nals;
    }

    /** The SPS and PPS of an AVCDecoderConfigurationRecord (ISO/IEC 14496-15 5.3.3.1). */
    private static List<byte[]> readConfiguration(ByteBuf in) {
        List<byte[]> sets = new ArrayList<>();
        if (in.readableBytes() < 6) {
            throw new IllegalArgumentException("an AVC sequence header too short for its configuration record");
        }
        in.skipBytes(5);
        int spsCount = in.readUnsignedByte() & 0x1F;
        readSets(in, spsCount, sets);
        if (in.isReadable()) {
            readSets(in, in.readUnsignedByte(), sets);
        }
        return List.copyOf(sets);
    }

    private static void readSets(ByteBuf in, int count, List<byte[]> into) {
        for (int i = 0; i < count; i++) {
            if (in.readableBytes() < 2) {
                throw new IllegalArgumentException("a parameter set's length runs past the sequence header");
            }
            int length = in.readUnsignedShort();
            if (length == 0 || length > in.readableBytes()) {
                throw new IllegalArgumentException("a parameter set of " + length + " bytes runs past the header");
            }
            byte[] set = new byte[length];
            in.readBytes(set);
            into.add(set);
        }
    }
}
