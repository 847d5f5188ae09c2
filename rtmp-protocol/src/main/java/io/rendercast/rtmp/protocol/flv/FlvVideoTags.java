package io.rendercast.rtmp.protocol.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Builds FLV video tag bodies, which RTMP video messages carry.
 *
 * <p>For H.264 the encoder's Annex B output is rewritten as 4-byte length-prefixed NAL units, and its SPS and
 * PPS become the AVC sequence header a player needs before the first frame. A frame's bytes are copied once,
 * from the encoder's buffer into the tag; nothing else is allocated per frame.
 */
public final class FlvVideoTags {

    private static final int FRAME_KEY = 1;
    private static final int FRAME_INTER = 2;
    private static final int AVC_SEQUENCE_HEADER = 0;
    private static final int AVC_NALU = 1;
    private static final int AVC_END_OF_SEQUENCE = 2;
    // Enhanced RTMP: the high bit of the first byte marks the extended header; its low nibble is the packet type.
    private static final int EX_HEADER = 0x80;
    private static final int EX_SEQUENCE_START = 0;
    private static final int EX_CODED_FRAMES = 1;
    private static final int EX_SEQUENCE_END = 2;
    private static final int EX_CODED_FRAMES_X = 3;

    private FlvVideoTags() {
    }

    /**
     * The AVC sequence header: an AVCDecoderConfigurationRecord made of the SPS and PPS in {@code annexB}.
     *
     * @throws IllegalArgumentException when there is no SPS or no PPS
     */
    public static ByteBuf avcSequenceHeader(ByteBufAllocator alloc, byte[] annexB) {
        List<AnnexB.Nal> nals = AnnexB.split(annexB);
        List<AnnexB.Nal> sps = nals.stream().filter(n -> n.type() == AnnexB.NAL_SPS).toList();
        List<AnnexB.Nal> pps = nals.stream().filter(n -> n.type() == AnnexB.NAL_PPS).toList();
        if (sps.isEmpty() || pps.isEmpty() || sps.getFirst().length() < 4) {
            throw new IllegalArgumentException("H.264 init data must hold an SPS and a PPS in Annex B form; found "
                    + sps.size() + " SPS and " + pps.size() + " PPS");
        }
        ByteBuf out = alloc.buffer(5 + 11 + annexB.length);
        out.writeByte(FRAME_KEY << 4 | FlvVideoCodec.AVC.id());
        out.writeByte(AVC_SEQUENCE_HEADER);
        out.writeMedium(0);
        int spsStart = sps.getFirst().offset();
        out.writeByte(1);                           // configurationVersion
        out.writeByte(annexB[spsStart + 1]);        // AVCProfileIndication
        out.writeByte(annexB[spsStart + 2]);        // profile_compatibility
        out.writeByte(annexB[spsStart + 3]);        // AVCLevelIndication
        out.writeByte(0xFF);                        // 6 reserved bits, lengthSizeMinusOne = 3
        out.writeByte(0xE0 | sps.size());
        for (AnnexB.Nal nal : sps) {
            out.writeShort(nal.length());
            out.writeBytes(annexB, nal.offset(), nal.length());
        }
        out.writeByte(pps.size());
        for (AnnexB.Nal nal : pps) {
            out.writeShort(nal.length());
            out.writeBytes(annexB, nal.offset(), nal.length());
        }
        return out;
    }

    /**
     * Writes one H.264 frame's tag into {@code out}: its NAL units, each behind its 4-byte length, copied once
     * from {@code annexB}. Access unit delimiters, SPS and PPS are left out, since the sequence header carries
     * the parameter sets. {@code annexB}'s position and limit are left as they were.
     */
    public static void writeAvcFrame(ByteBuf out, ByteBuffer annexB, boolean keyFrame) {
        out.writeByte((keyFrame ? FRAME_KEY : FRAME_INTER) << 4 | FlvVideoCodec.AVC.id());
        out.writeByte(AVC_NALU);
        out.writeMedium(0); // composition time: no B-frames, so decode order is presentation order
        writeNalUnits(out, annexB, false);
    }

    /** The NAL units of {@code annexB}, each behind its 4-byte length, parameter sets and delimiters left out. */
    private static void writeNalUnits(ByteBuf out, ByteBuffer annexB, boolean hevc) {
        int end = annexB.limit();
        int start = AnnexB.nextNalStart(annexB, annexB.position(), end);
        while (start >= 0) {
            int next = AnnexB.nextNalStart(annexB, start, end);
            int nalEnd = AnnexB.nalEnd(annexB, start, next, end);
            if (nalEnd > start && !isHeaderNal(annexB.get(start) & 0xFF, hevc)) {
                out.writeInt(nalEnd - start);
                copy(out, annexB, start, nalEnd - start);
            }
            start = next;
        }
    }

    private static boolean isHeaderNal(int firstByte, boolean hevc) {
        if (hevc) {
            int type = HevcConfiguration.nalType(firstByte);
            return type >= HevcConfiguration.NAL_VPS && type <= HevcConfiguration.NAL_AUD;
        }
        int type = firstByte & 0x1F;
        return type == AnnexB.NAL_AUD || type == AnnexB.NAL_SPS || type == AnnexB.NAL_PPS;
    }

    /**
     * An Enhanced RTMP sequence start: the FourCC and the codec's configuration record ({@code hvcC} or
     * {@code av1C}) built from the encoder's init data.
     */
    public static ByteBuf enhancedSequenceStart(ByteBufAllocator alloc, FlvVideoCodec codec, byte[] initData) {
        ByteBuf out = alloc.buffer(64 + initData.length);
        try {
            writeEnhancedHeader(out, codec, true, EX_SEQUENCE_START);
            if (codec == FlvVideoCodec.HEVC) {
                HevcConfiguration.write(out, initData);
            } else {
                Av1Configuration.write(out, initData);
            }
            return out;
        } catch (RuntimeException e) {
            out.release();
            throw e;
        }
    }

    /**
     * Writes one frame of an Enhanced RTMP codec into {@code out}, copied once: HEVC as length-prefixed NAL
     * units (coded frames without a composition time, as there are no B-frames), AV1 as its OBUs.
     */
    public static void writeEnhancedFrame(ByteBuf out, FlvVideoCodec codec, ByteBuffer data, boolean keyFrame) {
        if (codec == FlvVideoCodec.HEVC) {
            writeEnhancedHeader(out, codec, keyFrame, EX_CODED_FRAMES_X);
            writeNalUnits(out, data, true);
        } else {
            writeEnhancedHeader(out, codec, keyFrame, EX_CODED_FRAMES);
            Av1Configuration.writeFrame(out, data);
        }
    }

    /** An Enhanced RTMP sequence end, sent when a stream stops. */
    public static ByteBuf enhancedSequenceEnd(ByteBufAllocator alloc, FlvVideoCodec codec) {
        ByteBuf out = alloc.buffer(5);
        writeEnhancedHeader(out, codec, true, EX_SEQUENCE_END);
        return out;
    }

    private static void writeEnhancedHeader(ByteBuf out, FlvVideoCodec codec, boolean keyFrame, int packetType) {
        out.writeByte(EX_HEADER | (keyFrame ? FRAME_KEY : FRAME_INTER) << 4 | packetType);
        out.writeInt(codec.fourCcNumber());
    }

    /** The bytes of an FLV video tag with {@code header} as its first byte, then {@code data} copied once. */
    public static void writeSimpleFrame(ByteBuf out, FlvVideoCodec codec, ByteBuffer data, boolean keyFrame) {
        out.writeByte((keyFrame ? FRAME_KEY : FRAME_INTER) << 4 | codec.id());
        copy(out, data, data.position(), data.remaining());
    }

    /** Copies {@code length} bytes of {@code src} from {@code index} into {@code out}, leaving src as it was. */
    /** Writes a frame as the video tag body of {@code codec}; with no codec, the frame's bytes as they are. */
    public static void writeFrame(ByteBuf out, FlvVideoCodec codec, ByteBuffer data, boolean keyFrame) {
        if (codec == null) {
            copy(out, data, data.position(), data.remaining());
        } else if (codec == FlvVideoCodec.AVC) {
            writeAvcFrame(out, data, keyFrame);
        } else if (codec.enhanced()) {
            writeEnhancedFrame(out, codec, data, keyFrame);
        } else {
            writeSimpleFrame(out, codec, data, keyFrame);
        }
    }

    public static void copy(ByteBuf out, ByteBuffer src, int index, int length) {
        int position = src.position();
        int limit = src.limit();
        src.limit(index + length).position(index);
        out.writeBytes(src);
        src.limit(limit).position(position);
    }

    /** The AVC end-of-sequence tag sent when a stream stops. */
    public static ByteBuf avcEndOfSequence(ByteBufAllocator alloc) {
        return alloc.buffer(5).writeByte(FRAME_KEY << 4 | FlvVideoCodec.AVC.id()).writeByte(AVC_END_OF_SEQUENCE)
                .writeMedium(0);
    }
}
