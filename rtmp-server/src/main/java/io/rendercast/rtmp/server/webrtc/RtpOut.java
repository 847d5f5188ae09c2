package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What one WebRTC viewer is sent: H.264 access units as RTP packets ({@link H264RtpPacketizer}), the last
 * {@link #KEPT} of them kept to answer NACKs as RTX (RFC 4588: a stream of its own, its payload the lost packet's
 * sequence number and payload), sender reports, and SRTP over all once DTLS has given the keys. Not thread-safe:
 * its session uses it under its lock.
 */
final class RtpOut {

    /** Packets kept for retransmission: at 2.5 Mbit/s about 1.5 s of video. */
    static final int KEPT = 512;
    private static final int RTP_HEADER = 12;

    private final H264RtpPacketizer packetizer;
    private final int rtxPayloadType;
    private final int ssrc;
    private final int rtxSsrc;
    private final byte[][] kept = new byte[KEPT][];
    private int rtxSequence;
    private SrtpGcm keys;
    private long packets;
    private long octets;
    private long lastRtpTimestamp = -1;
    private long lastSentMillis;

    /** @param mostPayload the most bytes of payload in one packet, what fits the path's MTU */
    RtpOut(int payloadType, int rtxPayloadType, int ssrc, int rtxSsrc, int mostPayload) {
        this.rtxPayloadType = rtxPayloadType;
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.packetizer = new H264RtpPacketizer(payloadType, ssrc, mostPayload, ssrc >>> 16);
        this.rtxSequence = rtxSsrc >>> 16;
    }

    int ssrc() {
        return ssrc;
    }

    /** The SSRC of retransmissions, or 0 where the peer offered no RTX. */
    int rtxSsrc() {
        return rtxPayloadType < 0 ? 0 : rtxSsrc;
    }

    void keys(SrtpGcm keys) {
        this.keys = keys;
    }

    /** The packets of one frame, stamped {@code timestampMillis} on the stream's clock (RTP's runs at 90 kHz). */
    List<byte[]> frame(List<byte[]> nalUnits, int timestampMillis) {
        long rtpTimestamp = (timestampMillis & 0xFFFF_FFFFL) * 90;
        List<byte[]> frame = packetizer.packetize(nalUnits, rtpTimestamp);
        for (byte[] packet : frame) {
            kept[(ByteBuffer.wrap(packet).getShort(2) & 0xFFFF) % KEPT] = packet;
            packets++;
            octets += packet.length - RTP_HEADER;
        }
        lastRtpTimestamp = rtpTimestamp;
        lastSentMillis = System.currentTimeMillis();
        return frame;
    }

    /** The RTX packet that resends {@code sequence}, or null where it is no longer kept or RTX was not offered. */
    byte[] retransmission(int sequence) {
        byte[] original = kept[sequence % KEPT];
        if (rtxPayloadType < 0 || original == null || (ByteBuffer.wrap(original).getShort(2) & 0xFFFF) != sequence) {
            return null;
        }
        ByteBuffer rtx = ByteBuffer.allocate(original.length + 2);
        rtx.put(original[0]).put((byte) ((original[1] & 0x80) | rtxPayloadType)).putShort((short) rtxSequence)
                .putInt(ByteBuffer.wrap(original).getInt(4)).putInt(rtxSsrc).putShort((short) sequence)
                .put(original, RTP_HEADER, original.length - RTP_HEADER);
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        return rtx.array();
    }

    /** A sender report for now, or null before the first frame. */
    byte[] senderReport() {
        if (lastRtpTimestamp < 0) {
            return null;
        }
        long now = System.currentTimeMillis();
        return Rtcp.senderReport(ssrc, now, lastRtpTimestamp + (now - lastSentMillis) * 90, packets, octets);
    }

    /** {@code rtp} under SRTP, or null before DTLS gave the keys. */
    byte[] protect(byte[] rtp) {
        return keys == null ? null : keys.protect(rtp, RTP_HEADER);
    }

    /** {@code rtcp} under SRTCP, or null before DTLS gave the keys. */
    byte[] protectRtcp(byte[] rtcp) {
        return keys == null ? null : keys.protectRtcp(rtcp);
    }
}
