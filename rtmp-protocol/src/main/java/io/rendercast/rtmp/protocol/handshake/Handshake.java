package io.rendercast.rtmp.protocol.handshake;

import io.netty.buffer.ByteBuf;
import java.util.concurrent.ThreadLocalRandom;

/** Sizes and packets of the RTMP handshake. */
public final class Handshake {

    /** The protocol version in C0 and S0: plain RTMP. */
    public static final int VERSION = 3;
    /** The size of C1, S1, C2 and S2. */
    public static final int PACKET_SIZE = 1536;

    private Handshake() {
    }

    /**
     * Writes S0, S1 and S2 for a client's C1. A client whose C1 carries a valid Flash Player digest gets the
     * digest handshake ({@link DigestHandshake}); any other gets the simple one: S1 with our time, a zero version
     * (so that the client looks for no digest) and random bytes, and S2 echoing C1.
     *
     * @return the digest scheme used, or -1 for the simple handshake
     */
    public static int writeServerPackets(ByteBuf out, ByteBuf c1, int uptimeMillis) {
        byte[] clientPacket = new byte[PACKET_SIZE];
        c1.getBytes(c1.readerIndex(), clientPacket);
        int scheme = DigestHandshake.clientScheme(clientPacket);
        out.writeByte(VERSION);
        if (scheme < 0) {
            writeRandomPacket(out, uptimeMillis);
            out.writeBytes(clientPacket);
        } else {
            out.writeBytes(DigestHandshake.serverS1(scheme, uptimeMillis));
            out.writeBytes(DigestHandshake.serverS2(clientPacket, scheme));
        }
        return scheme;
    }

    /** Writes a C1 or S1 of the simple scheme: time, four zero bytes, random bytes. */
    public static void writeRandomPacket(ByteBuf out, int uptimeMillis) {
        out.writeInt(uptimeMillis);
        out.writeInt(0);
        byte[] random = new byte[PACKET_SIZE - 8];
        ThreadLocalRandom.current().nextBytes(random);
        out.writeBytes(random);
    }
}
