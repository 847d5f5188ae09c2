package io.rendercast.rtmp.protocol.flv;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;

/**
 * AV1 for Enhanced RTMP: the AV1CodecConfigurationRecord ({@code av1C}) a sequence start carries, read from the
 * encoder's sequence header OBU, and the OBUs of a frame without the temporal delimiters that the ISOBMFF
 * binding (which Enhanced RTMP follows) leaves out.
 */
public final class Av1Configuration {

    static final int OBU_SEQUENCE_HEADER = 1;
    static final int OBU_TEMPORAL_DELIMITER = 2;

    private Av1Configuration() {
    }

    /**
     * Writes the {@code av1C} record for the sequence header in {@code obus} (the encoder's init data).
     *
     * @throws IllegalArgumentException when there is no sequence header OBU, or it cannot be read
     */
    public static void write(ByteBuf out, byte[] obus) {
        ByteBuffer data = ByteBuffer.wrap(obus);
        int at = 0;
        while (at < obus.length) {
            Obu obu = Obu.at(data, at, obus.length);
            if (obu.type() == OBU_SEQUENCE_HEADER) {
                byte[] payload = java.util.Arrays.copyOfRange(obus, obu.payloadStart(), obu.end());
                writeRecord(out, payload, obus, at, obu.end());
                return;
            }
            at = obu.end();
        }
        throw new IllegalArgumentException("AV1 init data holds no sequence header OBU");
    }

    private static void writeRecord(ByteBuf out, byte[] sequenceHeader, byte[] obus, int obuStart, int obuEnd) {
        BitReader in = new BitReader(sequenceHeader);
        int profile = in.bits(3);
        in.skip(1); // still_picture
        boolean reduced = in.flag();
        int level;
        int tier = 0;
        if (reduced) {
            level = in.bits(5);
        } else {
            boolean decoderModelInfo = false;
            int bufferDelayLength = 0;
            if (in.flag()) { // timing_info_present_flag
                in.skip(64);
                if (in.flag()) { // equal_picture_interval
                    in.uvlc();
                }
                decoderModelInfo = in.flag();
                if (decoderModelInfo) {
                    bufferDelayLength = in.bits(5) + 1;
                    in.skip(32 + 5 + 5);
                }
            }
            boolean initialDisplayDelay = in.flag();
            int operatingPoints = in.bits(5) + 1;
            level = 0;
            for (int i = 0; i < operatingPoints; i++) {
                in.skip(12); // operating_point_idc
                int opLevel = in.bits(5);
                int opTier = opLevel > 7 ? in.bits(1) : 0;
                if (decoderModelInfo && in.flag()) {
                    in.skip(2 * bufferDelayLength + 1);
                }
                if (initialDisplayDelay && in.flag()) {
                    in.skip(4);
                }
                if (i == 0) {
                    level = opLevel;
                    tier = opTier;
                }
            }
        }
        int widthBits = in.bits(4) + 1;
        int heightBits = in.bits(4) + 1;
        in.skip(widthBits + heightBits);
        boolean orderHint = false;
        if (!reduced) {
            if (in.flag()) { // frame_id_numbers_present_flag
                in.skip(4 + 3);
            }
        }
        in.skip(3); // use_128x128_superblock, enable_filter_intra, enable_intra_edge_filter
        if (!reduced) {
            in.skip(4); // interintra, masked compound, warped motion, dual filter
            orderHint = in.flag();
            if (orderHint) {
                in.skip(2); // jnt_comp, ref_frame_mvs
            }
            int forceScreenContentTools = in.flag() ? 2 : in.bits(1);
            if (forceScreenContentTools > 0 && !in.flag()) {
                in.skip(1); // seq_force_integer_mv
            }
            if (orderHint) {
                in.skip(3);
            }
        }
        in.skip(3); // superres, cdef, restoration
        boolean highBitDepth = in.flag();
        boolean twelveBit = profile == 2 && highBitDepth && in.flag();
        boolean monochrome = profile != 1 && in.flag();
        int subsamplingX = 1;
        int subsamplingY = 1;
        int chromaSamplePosition = 0;
        int primaries = 2;
        int transfer = 2;
        int matrix = 2;
        if (in.flag()) { // color_description_present_flag
            primaries = in.bits(8);
            transfer = in.bits(8);
            matrix = in.bits(8);
        }
        if (monochrome) {
            in.skip(1); // color_range
        } else if (primaries == 1 && transfer == 13 && matrix == 0) {
            subsamplingX = 0;
            subsamplingY = 0;
        } else {
            in.skip(1); // color_range
            if (profile == 1) {
                subsamplingX = 0;
                subsamplingY = 0;
            } else if (profile == 2) {
                if (twelveBit) {
                    subsamplingX = in.bits(1);
                    subsamplingY = subsamplingX == 1 ? in.bits(1) : 0;
                } else {
                    subsamplingY = 0;
                }
            }
            if (subsamplingX == 1 && subsamplingY == 1) {
                chromaSamplePosition = in.bits(2);
            }
        }
        out.writeByte(0x81); // marker, version 1
        out.writeByte(profile << 5 | level);
        out.writeByte(tier << 7 | (highBitDepth ? 1 : 0) << 6 | (twelveBit ? 1 : 0) << 5 | (monochrome ? 1 : 0) << 4
                | subsamplingX << 3 | subsamplingY << 2 | chromaSamplePosition);
        out.writeByte(0); // no initial_presentation_delay
        out.writeBytes(obus, obuStart, obuEnd - obuStart); // configOBUs: the sequence header itself
    }

    /**
     * Writes the OBUs of one temporal unit from {@code data} into {@code out}, leaving out temporal delimiters;
     * {@code data}'s position and limit are left as they were.
     */
    public static void writeFrame(ByteBuf out, ByteBuffer data) {
        int at = data.position();
        int end = data.limit();
        while (at < end) {
            Obu obu = Obu.at(data, at, end);
            if (obu.type() != OBU_TEMPORAL_DELIMITER) {
                FlvVideoTags.copy(out, data, at, obu.end() - at);
            }
            at = obu.end();
        }
    }

    /** One OBU's place: its type, where its payload starts, where it ends. */
    record Obu(int type, int payloadStart, int end) {

        static Obu at(ByteBuffer data, int at, int limit) {
            int header = data.get(at) & 0xFF;
            int type = (header >> 3) & 0xF;
            boolean extension = (header & 4) != 0;
            boolean hasSize = (header & 2) != 0;
            int payload = at + 1 + (extension ? 1 : 0);
            if (!hasSize) {
                return new Obu(type, payload, limit);
            }
            long size = 0;
            int i = 0;
            while (true) {
                if (payload >= limit || i == 8) {
                    throw new IllegalArgumentException("an AV1 OBU's size runs past the data");
                }
                int b = data.get(payload++) & 0xFF;
                size |= (long) (b & 0x7F) << (7 * i++);
                if ((b & 0x80) == 0) {
                    break;
                }
            }
            if (payload + size > limit) {
                throw new IllegalArgumentException("an AV1 OBU of " + size + " bytes runs past the data");
            }
            return new Obu(type, payload, (int) (payload + size));
        }
    }
}
