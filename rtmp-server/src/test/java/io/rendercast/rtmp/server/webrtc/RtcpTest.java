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
    void readsTheStatusesAndArrivalsOfTransportWideFeedback() {
        // base 100, 20 statuses: a run of 10 received, then 14 one-bit statuses of which 10 count (5 received),
        // then 15 small deltas of 1 ms (4 units of 250 us) each, after a reference time of 64 ms.
        ByteBuffer fci = ByteBuffer.allocate(28);
        fci.putShort((short) 100).putShort((short) 20).put(new byte[] {0, 0, 1}).put((byte) 0)
                .putShort((short) (0x2000 | 10)) // run length: status 1 (received), 10 of them
                .putShort((short) (0x8000 | 0b10_1010_1010_1111)); // vector of 14 one-bit statuses
        for (int i = 0; i < 15; i++) {
            fci.put((byte) 4);
        }
        Rtcp.Feedback.Reported reported = (Rtcp.Feedback.Reported) Rtcp.read(feedback(205, 15, fci.array()))
                .getFirst();
        assertEquals(100, reported.base());
        boolean[] expected = {true, true, true, true, true, true, true, true, true, true,
            true, false, true, false, true, false, true, false, true, false};
        assertArrayEquals(expected, reported.received());
        assertEquals(65_000, reported.arrivalMicros()[0], "the reference time and the first delta");
        assertEquals(74_000, reported.arrivalMicros()[9]);
        assertEquals(-1, reported.arrivalMicros()[11], "not received: no arrival");
        assertEquals(77_000, reported.arrivalMicros()[14], "deltas count only the packets received");

        ByteBuffer truncated = ByteBuffer.allocate(8).putShort((short) 1).putShort((short) 50)
                .put(new byte[] {0, 0, 1, 0});
        assertThrows(IllegalArgumentException.class, () -> Rtcp.read(feedback(205, 15, truncated.array())),
                "statuses the chunks do not cover");
        ByteBuffer tooMany = ByteBuffer.allocate(12).putShort((short) 1).putShort((short) 65535)
                .put(new byte[] {0, 0, 1, 0}).putShort((short) (0x2000 | 8191)).putShort((short) (0x2000 | 8191));
        assertThrows(IllegalArgumentException.class, () -> Rtcp.read(feedback(205, 15, tooMany.array())),
                "65,535 statuses from a few dozen bytes");
        ByteBuffer noDeltas = ByteBuffer.allocate(12).putShort((short) 1).putShort((short) 3)
                .put(new byte[] {0, 0, 1, 0}).putShort((short) (0x2000 | 3)).put((byte) 4).put((byte) 4);
        assertThrows(IllegalArgumentException.class, () -> Rtcp.read(feedback(205, 15, noDeltas.array())),
                "three received, two deltas");
    }

    @Test
    void readsLargeAndNegativeDeltas() {
        // Two-bit vector: large, small, large, then 4 not received; deltas +100 ms, +1 ms, -2 ms.
        ByteBuffer fci = ByteBuffer.allocate(16);
        fci.putShort((short) 7).putShort((short) 3).put(new byte[] {0, 0, 0}).put((byte) 0)
                .putShort((short) (0xC000 | 0b10_01_10_00_00_00_00))
                .putShort((short) 400).put((byte) 4).putShort((short) -8).put((byte) 0);
        Rtcp.Feedback.Reported reported = (Rtcp.Feedback.Reported) Rtcp.read(feedback(205, 15, fci.array()))
                .getFirst();
        assertArrayEquals(new long[] {100_000, 101_000, 99_000}, reported.arrivalMicros());
        ByteBuffer reserved = ByteBuffer.allocate(12).putShort((short) 7).putShort((short) 1)
                .put(new byte[] {0, 0, 0, 0}).putShort((short) (0x6000 | 1)).putShort((short) 0);
        assertThrows(IllegalArgumentException.class, () -> Rtcp.read(feedback(205, 15, reserved.array())),
                "status 3 is reserved");
    }
}
