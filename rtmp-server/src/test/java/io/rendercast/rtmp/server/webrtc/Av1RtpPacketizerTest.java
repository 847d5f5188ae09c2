package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AV1's RTP payloads, read back by the payload format's own rules: aggregation header, then OBU elements. */
class Av1RtpPacketizerTest {

    private static final int SEQUENCE_HEADER = 1;
    private static final int TEMPORAL_DELIMITER = 2;
    private static final int FRAME = 6;

    /** An OBU in the low-overhead format: its header with the has-size bit, a one- or two-byte size, its payload. */
    private static byte[] obu(int type, int payloadLength) {
        ByteArrayOutputStream obu = new ByteArrayOutputStream();
        obu.write(type << 3 | 2);
        if (payloadLength < 128) {
            obu.write(payloadLength);
        } else {
            obu.write(payloadLength & 0x7F | 0x80);
            obu.write(payloadLength >> 7);
        }
        for (int i = 0; i < payloadLength; i++) {
            obu.write(type * 16 + i);
        }
        return obu.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }

    /** The OBU elements of the payloads, joined across fragments, as a receiver reassembles them. */
    private static List<byte[]> elements(List<H264RtpPacketizer.Payload> payloads) {
        List<byte[]> elements = new java.util.ArrayList<>();
        ByteArrayOutputStream current = null;
        for (H264RtpPacketizer.Payload payload : payloads) {
            byte[] data = payload.data();
            boolean z = (data[0] & 0x80) != 0;
            boolean y = (data[0] & 0x40) != 0;
            assertEquals(0, data[0] & 0x30, "W = 0: every element carries its length");
            int at = 1;
            boolean first = true;
            while (at < data.length) {
                int length = 0;
                int shift = 0;
                int b;
                do {
                    b = data[at++] & 0xFF;
                    length |= (b & 0x7F) << shift;
                    shift += 7;
                } while ((b & 0x80) != 0);
                if (!(first && z)) {
                    current = new ByteArrayOutputStream();
                }
                current.write(data, at, length);
                at += length;
                boolean last = at >= data.length;
                if (!(last && y)) {
                    elements.add(current.toByteArray());
                }
                first = false;
            }
        }
        return elements;
    }

    @Test
    void aKeyFrameGoesWithItsSequenceHeaderItsObusWithoutSizesAndNoTemporalDelimiter() {
        byte[] frame = concat(obu(TEMPORAL_DELIMITER, 0), obu(FRAME, 3000));
        byte[] sequenceHeader = obu(SEQUENCE_HEADER, 12);
        List<H264RtpPacketizer.Payload> payloads = new Av1RtpPacketizer(1100).packetize(List.of(frame), true,
                sequenceHeader);
        assertEquals(3, payloads.size(), "3,000 bytes and a header in packets of 1,100");
        assertTrue(payloads.stream().allMatch(p -> p.data().length <= 1100));
        assertEquals(0x08, payloads.getFirst().data()[0] & 0x08, "N: a new coded video sequence begins");
        assertFalse(payloads.getFirst().marker());
        assertTrue(payloads.getLast().marker(), "the frame's last packet is marked");
        List<byte[]> elements = elements(payloads);
        assertEquals(2, elements.size(), "the sequence header and the frame; no temporal delimiter");
        assertEquals(SEQUENCE_HEADER << 3, elements.get(0)[0], "the has-size bit cleared");
        assertArrayEquals(java.util.Arrays.copyOfRange(sequenceHeader, 2, sequenceHeader.length),
                java.util.Arrays.copyOfRange(elements.get(0), 1, elements.get(0).length), "the size field left out");
        assertEquals(1 + 3000, elements.get(1).length);
    }

    @Test
    void anInterFrameIsNotANewSequenceAndABadSizeIsRefused() {
        List<H264RtpPacketizer.Payload> payloads = new Av1RtpPacketizer(1100).packetize(List.of(obu(FRAME, 50)),
                false, obu(SEQUENCE_HEADER, 12));
        assertEquals(1, payloads.size());
        assertEquals(0, payloads.getFirst().data()[0], "no Z, Y or N");
        assertEquals(1, elements(payloads).size(), "no sequence header before an inter frame");
        byte[] cut = java.util.Arrays.copyOf(obu(FRAME, 50), 20);
        assertThrows(IllegalArgumentException.class, () -> new Av1RtpPacketizer(1100).packetize(List.of(cut), false,
                null));
    }
}
