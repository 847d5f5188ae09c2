package io.rendercast.rtmp.protocol.flv;

import io.netty.buffer.ByteBuf;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The HEVCDecoderConfigurationRecord (ISO/IEC 14496-15, {@code hvcC}) that an Enhanced RTMP sequence start
 * carries: built from the encoder's VPS, SPS and PPS in Annex B, with the profile, tier, level, chroma format and
 * bit depths read from the SPS.
 */
public final class HevcConfiguration {

    static final int NAL_VPS = 32;
    static final int NAL_SPS = 33;
    static final int NAL_PPS = 34;
    static final int NAL_AUD = 35;

    private HevcConfiguration() {
    }

    /** The NAL unit type of an HEVC NAL unit whose first header byte is {@code first}. */
    static int nalType(int first) {
        return (first >> 1) & 0x3F;
    }

    /**
     * Writes the record for the parameter sets in {@code annexB}.
     *
     * @throws IllegalArgumentException when there is no VPS, SPS or PPS, or the SPS cannot be read
     */
    public static void write(ByteBuf out, byte[] annexB) {
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        for (AnnexB.Nal nal : AnnexB.split(annexB)) {
            byte[] bytes = java.util.Arrays.copyOfRange(annexB, nal.offset(), nal.offset() + nal.length());
            switch (nalType(bytes[0] & 0xFF)) {
                case NAL_VPS -> vps.add(bytes);
                case NAL_SPS -> sps.add(bytes);
                case NAL_PPS -> pps.add(bytes);
                default -> {
                }
            }
        }
        if (vps.isEmpty() || sps.isEmpty() || pps.isEmpty()) {
            throw new IllegalArgumentException("HEVC init data must hold a VPS, an SPS and a PPS in Annex B form; found "
                    + vps.size() + ", " + sps.size() + " and " + pps.size());
        }
        BitReader in = new BitReader(rbsp(sps.getFirst(), 2));
        in.skip(4); // sps_video_parameter_set_id
        int maxSubLayersMinus1 = in.bits(3);
        boolean temporalIdNested = in.flag();
        int profileSpace = in.bits(2);
        int tier = in.bits(1);
        int profileIdc = in.bits(5);
        long compatibility = in.bitsLong(32);
        long constraints = in.bitsLong(48);
        int level = in.bits(8);
        boolean[] subProfile = new boolean[maxSubLayersMinus1];
        boolean[] subLevel = new boolean[maxSubLayersMinus1];
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            subProfile[i] = in.flag();
            subLevel[i] = in.flag();
        }
        if (maxSubLayersMinus1 > 0) {
            in.skip(2 * (8 - maxSubLayersMinus1));
        }
        for (int i = 0; i < maxSubLayersMinus1; i++) {
            in.skip((subProfile[i] ? 88 : 0) + (subLevel[i] ? 8 : 0));
        }
        in.ue(); // sps_seq_parameter_set_id
        int chromaFormat = in.ue();
        if (chromaFormat == 3) {
            in.skip(1);
        }
        in.ue(); // width
        in.ue(); // height
        if (in.flag()) { // conformance window
            in.ue();
            in.ue();
            in.ue();
            in.ue();
        }
        int bitDepthLumaMinus8 = in.ue();
        int bitDepthChromaMinus8 = in.ue();

        out.writeByte(1);
        out.writeByte(profileSpace << 6 | tier << 5 | profileIdc);
        out.writeInt((int) compatibility);
        out.writeInt((int) (constraints >>> 16));
        out.writeShort((int) constraints);
        out.writeByte(level);
        out.writeShort(0xF000); // min_spatial_segmentation_idc 0
        out.writeByte(0xFC); // parallelismType 0: unknown
        out.writeByte(0xFC | chromaFormat);
        out.writeByte(0xF8 | bitDepthLumaMinus8);
        out.writeByte(0xF8 | bitDepthChromaMinus8);
        out.writeShort(0); // avgFrameRate: unspecified
        out.writeByte((maxSubLayersMinus1 + 1) << 3 | (temporalIdNested ? 1 : 0) << 2 | 3); // 4-byte NAL lengths
        out.writeByte(3);
        for (List<byte[]> array : List.of(vps, sps, pps)) {
            out.writeByte(0x80 | nalType(array.getFirst()[0] & 0xFF)); // array_completeness 1
            out.writeShort(array.size());
            for (byte[] nal : array) {
                out.writeShort(nal.length);
                out.writeBytes(nal);
            }
        }
    }

    /** The NAL unit's payload after {@code headerBytes}, emulation prevention bytes removed. */
    static byte[] rbsp(byte[] nal, int headerBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(nal.length);
        int zeros = 0;
        for (int i = headerBytes; i < nal.length; i++) {
            int b = nal[i] & 0xFF;
            if (zeros >= 2 && b == 3) {
                zeros = 0;
                continue;
            }
            zeros = b == 0 ? zeros + 1 : 0;
            out.write(b);
        }
        return out.toByteArray();
    }
}
