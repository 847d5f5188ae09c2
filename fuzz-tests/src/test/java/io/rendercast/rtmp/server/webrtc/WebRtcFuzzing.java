package io.rendercast.rtmp.server.webrtc;

import io.netty.buffer.Unpooled;

/**
 * The WebRTC readers of client bytes for the fuzz targets, which live in another package: in its package on the
 * class path, this class reaches what the server keeps package-private. Each may fail only with an
 * IllegalArgumentException, its readers' word for bad input.
 */
public final class WebRtcFuzzing {

    private static final byte[] KEYING_MATERIAL = new byte[56];
    private static final byte[] AES_CM_KEYING_MATERIAL = new byte[60];

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
        for (SdpOffer.VideoCodec codec : offer.codecs()) {
            SdpAnswer.write(offer, codec, "127.0.0.1", 8189, "ufrag", "pwd", "AA:BB", 1, 2, 3);
        }
    }

    /**
     * A compound RTCP packet as its SRTCP has opened it, and the same bytes as an SRTCP packet to open in each
     * profile; each reader is given them, and the last refusal is thrown.
     */
    public static void rtcp(byte[] packet) {
        IllegalArgumentException refused = null;
        for (Runnable reader : java.util.List.<Runnable>of(() -> Rtcp.read(packet),
                () -> new SrtpGcm(KEYING_MATERIAL, false).unprotectRtcp(packet, packet.length),
                () -> new SrtpAesCm(AES_CM_KEYING_MATERIAL, false).unprotectRtcp(packet, packet.length))) {
            try {
                reader.run();
            } catch (IllegalArgumentException e) {
                refused = e;
            }
        }
        if (refused != null) {
            throw refused;
        }
    }

    /** An FLV video tag as the WHEP session reads its stream's frames back, then packetized as RTP would take them. */
    public static void flvVideo(byte[] tag) {
        FlvVideoFrames frames = new FlvVideoFrames();
        frames.read(Unpooled.wrappedBuffer(tag));
        FlvVideoFrames.Frame frame = frames.read(Unpooled.wrappedBuffer(tag));
        if (frame != null && frame.codec().equals("av1")) {
            new Av1RtpPacketizer(1100).packetize(frame.units(), frame.keyFrame(), frames.av1SequenceHeader());
        } else if (frame != null) {
            new H264RtpPacketizer(1100).packetize(frame.units());
        }
    }

    /**
     * SCTP packets as a data channel's peer sends them over DTLS: the input cut into packets at each 0xFF byte,
     * each given a valid checksum and, after the first, the association's tag, so that the reader gets past them.
     */
    public static void sctp(byte[] input) {
        int[] tag = {0};
        SctpAssociation sctp = new SctpAssociation(new SctpAssociation.Peer() {
            @Override
            public void send(byte[] packet) {
                if (packet.length >= 20 && packet[12] == 2) {
                    tag[0] = java.nio.ByteBuffer.wrap(packet).getInt(16); // the INIT ACK's initiate tag
                }
            }

            @Override
            public void received(int stream, int ppid, byte[] message) {
            }
        }, 5000, 5000);
        int start = 0;
        for (int i = 0; i <= input.length; i++) {
            if (i == input.length || input[i] == (byte) 0xFF) {
                byte[] packet = new byte[12 + i - start];
                java.nio.ByteBuffer.wrap(packet).putShort((short) 5000).putShort((short) 5000).putInt(tag[0]);
                System.arraycopy(input, start, packet, 12, i - start);
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                crc.update(packet);
                java.nio.ByteBuffer.wrap(packet).putInt(8, Integer.reverseBytes((int) crc.getValue()));
                try {
                    sctp.receive(packet, packet.length);
                } catch (IllegalArgumentException e) {
                    // the reader's own error: the session would end here
                    return;
                }
                start = i + 1;
            }
        }
        try {
            sctp.resendDue(System.nanoTime() + 2_000_000_000L);
            if (sctp.established()) {
                sctp.send(0, 51, input);
            }
        } catch (IllegalStateException e) {
            // more than it holds unacknowledged: the session would end here
        }
    }
}
