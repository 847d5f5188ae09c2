package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 into RTP (RFC 6184, packetization mode 1): a NAL unit that fits a packet goes as it is, a larger one in
 * FU-A fragments; the last packet of an access unit carries the marker bit. One SSRC, one payload type; the
 * sequence number runs on from packet to packet.
 */
public final class H264RtpPacketizer {

    private static final int RTP_HEADER = 12;
    private static final int FU_A = 28;

    private final int payloadType;
    private final int ssrc;
    private final int mostPayload;
    private int sequence;

    /** @param mostPayload the most bytes of payload in one packet (what fits the path's MTU after SRTP's tag) */
    public H264RtpPacketizer(int payloadType, int ssrc, int mostPayload, int firstSequence) {
        this.payloadType = payloadType;
        this.ssrc = ssrc;
        this.mostPayload = mostPayload;
        this.sequence = firstSequence & 0xFFFF;
    }

    /** The RTP packets of one access unit, its NAL units without start codes, at {@code timestamp} (90 kHz). */
    public List<byte[]> packetize(List<byte[]> nalUnits, long timestamp) {
        List<byte[]> packets = new ArrayList<>();
        for (int n = 0; n < nalUnits.size(); n++) {
            byte[] nal = nalUnits.get(n);
            boolean lastNal = n == nalUnits.size() - 1;
            if (nal.length <= mostPayload) {
                packets.add(packet(timestamp, lastNal, nal, 0, nal.length, null));
                continue;
            }
            byte indicator = (byte) ((nal[0] & 0xE0) | FU_A);
            int type = nal[0] & 0x1F;
            int chunk = mostPayload - 2;
            for (int at = 1; at < nal.length; at += chunk) {
                int length = Math.min(chunk, nal.length - at);
                boolean start = at == 1;
                boolean end = at + length == nal.length;
                byte header = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
                packets.add(packet(timestamp, lastNal && end, nal, at, length, new byte[] {indicator, header}));
            }
        }
        return packets;
    }

    private byte[] packet(long timestamp, boolean marker, byte[] data, int offset, int length, byte[] prefix) {
        int prefixLength = prefix == null ? 0 : prefix.length;
        ByteBuffer packet = ByteBuffer.allocate(RTP_HEADER + prefixLength + length);
        packet.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | payloadType)).putShort((short) sequence)
                .putInt((int) timestamp).putInt(ssrc);
        if (prefix != null) {
            packet.put(prefix);
        }
        packet.put(data, offset, length);
        sequence = (sequence + 1) & 0xFFFF;
        return packet.array();
    }

    /** The RTP header's length in the packets made here: no CSRC, no extension. */
    public static int headerLength() {
        return RTP_HEADER;
    }
}
