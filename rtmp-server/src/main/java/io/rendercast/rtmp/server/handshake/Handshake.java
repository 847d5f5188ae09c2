package io.rendercast.rtmp.server.handshake;

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
     * Writes S0 and S1 and S2. S1 carries our time, a zero version (so that clients use the simple scheme and
     * do not look for a digest) and random bytes; S2 echoes C1.
     */
    public static void writeServerPackets(ByteBuf out, ByteBuf c1, int uptimeMillis) {
        out.writeByte(VERSION);
        writeRandomPacket(out, uptimeMillis);
        out.writeBytes(c1, c1.readerIndex(), PACKET_SIZE);
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
