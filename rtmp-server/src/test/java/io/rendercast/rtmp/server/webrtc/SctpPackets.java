package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * SCTP packets as a peer sends them, written out byte by byte as RFC 9260 lays them out (not with the server's own
 * code, so that a mistake in both does not cancel out), and read from what the server sent: for the tests of the
 * server's SCTP end and of the data channels on it. Both ends on port 5000, as WebRTC's SDP has it.
 */
final class SctpPackets {

    private SctpPackets() {
    }

    /** A packet to the association of verification tag {@code tag}, carrying {@code chunks}, its CRC32c filled in. */
    static byte[] packet(int tag, byte[]... chunks) {
        int length = 12;
        for (byte[] chunk : chunks) {
            length += chunk.length;
        }
        ByteBuffer packet = ByteBuffer.allocate(length);
        packet.putShort((short) 5000).putShort((short) 5000).putInt(tag).putInt(0);
        for (byte[] chunk : chunks) {
            packet.put(chunk);
        }
        CRC32C crc = new CRC32C();
        crc.update(packet.array(), 0, length);
        packet.putInt(8, Integer.reverseBytes((int) crc.getValue()));
        return packet.array();
    }

    /** A chunk of {@code type}, padded to four bytes. */
    static byte[] chunk(int type, int flags, byte[] value) {
        ByteBuffer chunk = ByteBuffer.allocate((4 + value.length + 3) & ~3);
        chunk.put((byte) type).put((byte) flags).putShort((short) (4 + value.length)).put(value);
        return chunk.array();
    }

    /** The peer's INIT: its tag, a 1 MiB window, 16 streams each way, its first TSN. */
    static byte[] init(int peerTag, long firstTsn) {
        return packet(0, chunk(1, 0, ByteBuffer.allocate(16).putInt(peerTag).putInt(1 << 20).putShort((short) 16)
                .putShort((short) 16).putInt((int) firstTsn).array()));
    }

    /** The server's own tag, from the INIT ACK it sent. */
    static int tagOf(byte[] initAck) {
        return ByteBuffer.wrap(initAck).getInt(16);
    }

    /** The COOKIE ECHO that answers {@code initAck}: its state cookie, the INIT ACK's first parameter, sent back. */
    static byte[] cookieEcho(byte[] initAck) {
        ByteBuffer in = ByteBuffer.wrap(initAck);
        byte[] cookie = new byte[(in.getShort(16 + 16 + 2) & 0xFFFF) - 4];
        in.get(16 + 16 + 4, cookie);
        return packet(tagOf(initAck), chunk(10, 0, cookie));
    }
}
