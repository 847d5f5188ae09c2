package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feedback a WebRTC receiver sends, written out as RFC 4585 and the transport-wide draft lay it out. */
class RtcpTest {

    private static byte[] feedback(int type, int format, byte[] fci) {
        ByteBuffer packet = ByteBuffer.allocate(12 + fci.length);
        packet.put((byte) (0x80 | format)).put((byte) type).putShort((short) ((12 + fci.length) / 4 - 1))
                .putInt(0xCAFE).putInt(0xBEEF).put(fci);
        return packet.array();
    }

    @Test
    void readsPliFirAndNacksInACompoundPacket() {
        byte[] pli = feedback(206, 1, new byte[0]);
        byte[] nack = feedback(205, 1, ByteBuffer.allocate(4).putShort((short) 65535).putShort((short) 0b101)
                .array());
        ByteBuffer compound = ByteBuffer.allocate(pli.length + nack.length).put(pli).put(nack);
        List<Rtcp.Feedback> read = Rtcp.read(compound.array());
        assertEquals(2, read.size());
        assertTrue(read.get(0) instanceof Rtcp.Feedback.KeyFrameWanted);
        assertEquals(List.of(65535, 0, 2), ((Rtcp.Feedback.Lost) read.get(1)).sequences(),
                "the lost one, and the bitmask's, across the wrap");
    }

    @Test
    void readsTheStatusesOfTransportWideFeedback() {
        // base 100, 20 statuses: a run of 10 received, then 14 one-bit statuses of which 10 count, then deltas.
        ByteBuffer fci = ByteBuffer.allocate(12);
        fci.putShort((short) 100).putShort((short) 20).put(new byte[] {0, 0, 1}).put((byte) 0)
                .putShort((short) (0x2000 | 10)) // run length: status 1 (received), 10 of them
                .putShort((short) (0x8000 | 0b10_1010_1010_1111)); // vector of 14 one-bit statuses
        Rtcp.Feedback.Reported reported = (Rtcp.Feedback.Reported) Rtcp.read(feedback(205, 15, fci.array()))
                .getFirst();
        assertEquals(100, reported.base());
        boolean[] expected = {true, true, true, true, true, true, true, true, true, true,
            true, false, true, false, true, false, true, false, true, false};
        assertArrayEquals(expected, reported.received());

        ByteBuffer truncated = ByteBuffer.allocate(8).putShort((short) 1).putShort((short) 50)
                .put(new byte[] {0, 0, 1, 0});
        assertThrows(IllegalArgumentException.class, () -> Rtcp.read(feedback(205, 15, truncated.array())),
                "statuses the chunks do not cover");
        ByteBuffer tooMany = ByteBuffer.allocate(12).putShort((short) 1).putShort((short) 65535)
                .put(new byte[] {0, 0, 1, 0}).putShort((short) (0x2000 | 8191)).putShort((short) (0x2000 | 8191));
        assertThrows(IllegalArgumentException.class, () -> Rtcp.read(feedback(205, 15, tooMany.array())),
                "65,535 statuses from a few dozen bytes");
    }
}
