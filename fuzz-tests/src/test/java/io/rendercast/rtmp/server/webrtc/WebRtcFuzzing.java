package io.rendercast.rtmp.server.webrtc;

import io.netty.buffer.Unpooled;

/**
 * The WebRTC readers of client bytes for the fuzz targets, which live in another package: in its package on the
 * class path, this class reaches what the server keeps package-private. Each may fail only with an
 * IllegalArgumentException, its readers' word for bad input.
 */
public final class WebRtcFuzzing {

    private static final byte[] KEYING_MATERIAL = new byte[56];

    private WebRtcFuzzing() {
    }

    /** A datagram on the WebRTC port read as a binding request for an agent whose password is {@code "pwd"}. */
    public static void stun(byte[] datagram) {
        StunMessage request = StunMessage.readRequest(datagram, datagram.length,
                username -> username.startsWith("ufrag:") ? "pwd" : null);
        request.successResponse(new java.net.InetSocketAddress("127.0.0.1", 5000), "pwd");
    }

    /** A WHEP offer's body, read as the server reads it, and answered. */
    public static void sdp(byte[] body) {
        SdpOffer offer = SdpOffer.parse(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        SdpAnswer.write(offer, "127.0.0.1", 8189, "ufrag", "pwd", "AA:BB", 1, 2);
    }

    /** A compound RTCP packet as its SRTCP has opened it, and the same bytes as an SRTCP packet to open. */
    public static void rtcp(byte[] packet) {
        try {
            Rtcp.read(packet);
        } finally {
            new SrtpGcm(KEYING_MATERIAL, false).unprotectRtcp(packet, packet.length);
        }
    }

    /** An FLV video tag as the WHEP session reads its stream's frames back. */
    public static void flvH264(byte[] tag) {
        FlvH264Frames frames = new FlvH264Frames();
        frames.read(Unpooled.wrappedBuffer(tag));
        frames.read(Unpooled.wrappedBuffer(tag));
    }
}
