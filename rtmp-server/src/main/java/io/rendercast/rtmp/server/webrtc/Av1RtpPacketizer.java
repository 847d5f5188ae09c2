package io.rendercast.rtmp.server.webrtc;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * AV1 into RTP payloads, as the AOM's RTP payload format for AV1 (v1.0.0) has it: each payload an aggregation header
 * (Z: the first element continues one from the last packet; Y: the last element goes on in the next; W = 0: every
 * element carries its length; N: the first packet of a new coded video sequence) and OBU elements, each OBU
 * without its size field, temporal delimiters and tile lists left out. A key frame goes with the sequence header
 * before it, so that a receiver may start there. The last payload of a frame is marked.
 */
final class Av1RtpPacketizer {

    private static final int OBU_SEQUENCE_HEADER = 1;
    private static final int OBU_TEMPORAL_DELIMITER = 2;
    private static final int OBU_TILE_LIST = 8;
    private static final int OBU_PADDING = 15;

    private final int mostPayload;

    /** @param mostPayload the most bytes of payload in one packet, aggregation header included */
    Av1RtpPacketizer(int mostPayload) {
        this.mostPayload = mostPayload;
    }

    /**
     * The payloads of one frame, its OBUs in the low-overhead format (each with its size field, as Enhanced RTMP
     * carries them).
     *
     * @param sequenceHeader the stream's sequence header OBU, put before a key frame that has none; or null
     * @throws IllegalArgumentException for OBUs whose sizes run past the data
     */
    List<H264RtpPacketizer.Payload> packetize(List<byte[]> obus, boolean keyFrame, byte[] sequenceHeader) {
        List<byte[]> elements = new ArrayList<>();
        boolean hasSequenceHeader = false;
        for (byte[] data : obus) {
            for (int at = 0; at < data.length; ) {
                int end = end(data, at);
                int type = (data[at] >> 3) & 0xF;
                if (type != OBU_TEMPORAL_DELIMITER && type != OBU_TILE_LIST && type != OBU_PADDING) {
                    elements.add(withoutSize(data, at, end));
                    hasSequenceHeader |= type == OBU_SEQUENCE_HEADER;
                }
                at = end;
            }
        }
        if (keyFrame && !hasSequenceHeader && sequenceHeader != null) {
            elements.addFirst(withoutSize(sequenceHeader, 0, end(sequenceHeader, 0)));
            hasSequenceHeader = true;
        }
        boolean newSequence = keyFrame && hasSequenceHeader;
        List<H264RtpPacketizer.Payload> payloads = new ArrayList<>();
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0); // the aggregation header, written when the packet is done
        boolean continued = false; // Z: the packet begins with the rest of an element
        for (byte[] element : elements) {
            int at = 0;
            while (at < element.length) {
                int room = mostPayload - packet.size() - 2; // a length of up to two bytes: 16,383 at most
                if (room <= 0) { // full at an element's end: the next packet begins with a new element
                    payloads.add(finish(packet, continued, false, newSequence && payloads.isEmpty(), false));
                    packet = new ByteArrayOutputStream();
                    packet.write(0);
                    continued = false;
                    continue;
                }
                int length = Math.min(room, element.length - at);
                writeLeb128(packet, length);
                packet.write(element, at, length);
                at += length;
                if (at < element.length) { // the element goes on in the next packet: Y here, Z there
                    payloads.add(finish(packet, continued, true, newSequence && payloads.isEmpty(), false));
                    packet = new ByteArrayOutputStream();
                    packet.write(0);
                    continued = true;
                }
            }
        }
        payloads.add(finish(packet, continued, false, newSequence && payloads.isEmpty(), true));
        return payloads;
    }

    private static H264RtpPacketizer.Payload finish(ByteArrayOutputStream packet, boolean z, boolean y, boolean n,
                                                   boolean marker) {
        byte[] payload = packet.toByteArray();
        payload[0] = (byte) ((z ? 0x80 : 0) | (y ? 0x40 : 0) | (n ? 0x08 : 0));
        return new H264RtpPacketizer.Payload(payload, marker);
    }

    /** Where the OBU at {@code at} ends, by its size field (or the data's end where it has none). */
    private static int end(byte[] data, int at) {
        int header = data[at] & 0xFF;
        int payload = at + 1 + ((header & 4) != 0 ? 1 : 0);
        if (payload > data.length) {
            throw new IllegalArgumentException("an AV1 OBU header runs past the data");
        }
        if ((header & 2) == 0) {
            return data.length;
        }
        long size = 0;
        for (int i = 0; ; i++) {
            if (payload >= data.length || i == 8) {
                throw new IllegalArgumentException("an AV1 OBU's size runs past the data");
            }
            int b = data[payload++] & 0xFF;
            size |= (long) (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (payload + size > data.length) {
            throw new IllegalArgumentException("an AV1 OBU of " + size + " bytes runs past the data");
        }
        return (int) (payload + size);
    }

    /** The OBU from {@code at} to {@code end} with its has-size bit cleared and its size field left out. */
    private static byte[] withoutSize(byte[] data, int at, int end) {
        int header = data[at] & 0xFF;
        int headerLength = 1 + ((header & 4) != 0 ? 1 : 0);
        int payload = at + headerLength;
        if ((header & 2) != 0) {
            while ((data[payload++] & 0x80) != 0) {
                // the size field's bytes
            }
        }
        byte[] obu = new byte[headerLength + end - payload];
        System.arraycopy(data, at, obu, 0, headerLength);
        obu[0] = (byte) (header & ~2);
        System.arraycopy(data, payload, obu, headerLength, end - payload);
        return obu;
    }

    private static void writeLeb128(ByteArrayOutputStream out, int value) {
        while (value >= 0x80) {
            out.write((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write(value);
    }
}
