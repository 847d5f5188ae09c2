package io.rendercast.rtmp.server.webrtc;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads back the video in the FLV video tags a stream's sender writes (what RTMP carries) as RTP wants it. H.264
 * (classic tags): an access unit's NAL units without lengths or start codes, the sequence header's SPS and PPS kept
 * and put before each key frame's slices, since a WebRTC receiver takes its parameter sets in band and may join at
 * any key frame. AV1 (Enhanced RTMP, {@code av01}): a frame's OBUs as they are, and the sequence header OBU of the
 * sequence start kept for {@link Av1RtpPacketizer}.
 */
final class FlvVideoFrames {

    /** One frame: its codec ({@code h264} or {@code av1}), whether it is a key frame, its NAL units or its OBUs. */
    record Frame(String codec, boolean keyFrame, List<byte[]> units) {
    }

    private static final int AVC = 7;
    private static final int SEQUENCE_HEADER = 0;
    private static final int NALU = 1;
    private static final int EX_SEQUENCE_START = 0;
    private static final int EX_CODED_FRAMES = 1;

    private List<byte[]> parameterSets = List.of();
    private byte[] av1SequenceHeader;
    private String codec;
    /** The H.264 stream's AVCProfileIndication, from its sequence header; 0 before one. */
    private int h264ProfileIdc;

    /** The stream's codec, once a sequence header said it; else null. */
    String codec() {
        return codec;
    }

    /**
     * The H.264 stream's profile as its sequence header names it: {@code baseline}, {@code main}, {@code high}, or
     * {@code profile_idc N} for another; null before a sequence header.
     */
    String h264Profile() {
        return switch (h264ProfileIdc) {
            case 0 -> null;
            case 66 -> "baseline";
            case 77 -> "main";
            case 100 -> "high";
            default -> "profile_idc " + h264ProfileIdc;
        };
    }

    /** AV1's sequence header OBU, as the sequence start carried it; null before one, or for H.264. */
    byte[] av1SequenceHeader() {
        return av1SequenceHeader;
    }

    /**
     * The frame in {@code tag}, an FLV video tag's body; null for a sequence header (kept) or a tag that carries no
     * picture.
     *
     * @throws IllegalArgumentException for a tag in a codec WebRTC does not carry here, or whose lengths run past it
     */
    Frame read(ByteBuf tag) {
        ByteBuf in = tag.duplicate();
        if (in.readableBytes() < 5) {
            return null;
        }
        int first = in.readUnsignedByte();
        if ((first & 0x80) != 0) {
            return readEnhanced(first, in);
        }
        if ((first & 0x0F) != AVC) {
            throw new IllegalArgumentException("WebRTC carries H.264 and AV1 here; the stream's tag is codec "
                    + (first & 0x0F));
        }
        boolean keyFrame = (first >> 4) == 1;
        int packetType = in.readUnsignedByte();
        in.skipBytes(3); // composition time
        if (packetType == SEQUENCE_HEADER) {
            if (in.readableBytes() >= 2) {
                h264ProfileIdc = in.getUnsignedByte(in.readerIndex() + 1);
            }
            parameterSets = readConfiguration(in);
            codec = "h264";
            return null;
        }
        if (packetType != NALU) {
            return null;
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
        return new Frame("h264", keyFrame, nals);
    }

    /** An Enhanced RTMP tag: AV1 only, its sequence start's av1C record or a frame's OBUs. */
    private Frame readEnhanced(int first, ByteBuf in) {
        byte[] fourCc = new byte[4];
        in.readBytes(fourCc);
        String name = new String(fourCc, java.nio.charset.StandardCharsets.US_ASCII);
        if (!name.equals("av01")) {
            throw new IllegalArgumentException("WebRTC carries H.264 and AV1 here; the stream's tag is " + name);
        }
        int packetType = first & 0x0F;
        if (packetType == EX_SEQUENCE_START) {
            // av1C: four bytes of marker, version, profile, level and so on; then the configuration OBUs.
            if (in.readableBytes() < 4) {
                throw new IllegalArgumentException("an av1C record shorter than its four bytes");
            }
            in.skipBytes(4);
            byte[] obus = new byte[in.readableBytes()];
            in.readBytes(obus);
            av1SequenceHeader = obus.length == 0 ? null : obus;
            codec = "av1";
            return null;
        }
        if (packetType != EX_CODED_FRAMES) {
            return null;
        }
        byte[] obus = new byte[in.readableBytes()];
        in.readBytes(obus);
        return new Frame("av1", ((first >> 4) & 7) == 1, List.of(obus));
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
