package io.rendercast.benchmarks;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * What an RTMP client sends, written by hand for the relay's tests: its handshake, then chunked messages, with the
 * offsets at which its messages end (where nothing is half sent), so that a test can say where a message may go in.
 */
final class ClientStream {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> boundaries = new ArrayList<>();
    private final Random random = new Random(7);
    private int chunkSize = 128;

    /** C0 and C1, then C2: the handshake, unread by the relay. */
    ClientStream handshake() {
        out.write(3);
        out.writeBytes(randomBytes(1536 + 1536));
        return boundary();
    }

    /** One message in chunks of the current chunk size, the first with a format 0 header. */
    ClientStream message(int csid, int timestamp, int type, int streamId, byte[] payload) {
        chunks(csid, 0, timestamp, type, streamId, payload);
        return boundary();
    }

    /**
     * A message whose first chunk has a format 1 (timestamp delta, length, type), 2 (delta) or 3 header: the
     * chunk stream's last length and type hold for what it leaves out.
     */
    ClientStream compressed(int csid, int format, int delta, int type, byte[] payload) {
        chunks(csid, format, delta, type, 0, payload);
        return boundary();
    }

    /** Set Chunk Size, on chunk stream 2, as a client sends it; later messages are chunked at {@code size}. */
    ClientStream setChunkSize(int size) {
        message(2, 0, 1, 0, new byte[] {(byte) (size >>> 24), (byte) (size >>> 16), (byte) (size >>> 8), (byte) size});
        chunkSize = size;
        return this;
    }

    /**
     * Two messages whose chunks interleave: the first chunk of {@code long}'s, all of {@code shortOne} on another
     * chunk stream, then the rest of {@code long}'s. Only the end of the long one is a boundary.
     */
    ClientStream interleaved(int longCsid, byte[] longPayload, int shortCsid, byte[] shortPayload) {
        byte[] first = java.util.Arrays.copyOf(longPayload, chunkSize);
        header(longCsid, 0, 0, 9, 1, longPayload.length);
        out.writeBytes(first);
        chunks(shortCsid, 0, 0, 8, 1, shortPayload);
        for (int offset = chunkSize; offset < longPayload.length; offset += chunkSize) {
            basicHeader(longCsid, 3);
            out.write(longPayload, offset, Math.min(chunkSize, longPayload.length - offset));
        }
        return boundary();
    }

    /** Appends bytes as they are, marking no boundary. */
    ClientStream raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** The offsets at which a message (or the handshake) ends with no other half sent, in order. */
    List<Integer> boundaries() {
        return List.copyOf(boundaries);
    }

    private ClientStream boundary() {
        boundaries.add(out.size());
        return this;
    }

    private void chunks(int csid, int format, int timestamp, int type, int streamId, byte[] payload) {
        header(csid, format, timestamp, type, streamId, payload.length);
        boolean extended = timestamp >= 0xFFFFFF;
        for (int offset = 0; offset < payload.length || offset == 0; offset += chunkSize) {
            if (offset > 0) {
                basicHeader(csid, 3);
                if (extended) { // a format 3 chunk of a message with an extended timestamp repeats it
                    writeInt(timestamp);
                }
            }
            out.write(payload, offset, Math.min(chunkSize, payload.length - offset));
        }
    }

    /** A chunk's basic and message header, and its extended timestamp when {@code timestamp} needs one. */
    private void header(int csid, int format, int timestamp, int type, int streamId, int length) {
        basicHeader(csid, format);
        boolean extended = timestamp >= 0xFFFFFF;
        int field = extended ? 0xFFFFFF : timestamp;
        if (format <= 2) {
            out.write(field >>> 16);
            out.write(field >>> 8);
            out.write(field);
        }
        if (format <= 1) {
            out.write(length >>> 16);
            out.write(length >>> 8);
            out.write(length);
            out.write(type);
        }
        if (format == 0) { // the message stream id, little-endian
            out.write(streamId);
            out.write(streamId >>> 8);
            out.write(streamId >>> 16);
            out.write(streamId >>> 24);
        }
        if (extended) {
            writeInt(timestamp);
        }
    }

    private void basicHeader(int csid, int format) {
        if (csid < 64) {
            out.write(format << 6 | csid);
        } else if (csid < 320) {
            out.write(format << 6);
            out.write(csid - 64);
        } else {
            out.write(format << 6 | 1);
            out.write((csid - 64) & 0xFF);
            out.write((csid - 64) >>> 8);
        }
    }

    private void writeInt(int value) {
        out.write(value >>> 24);
        out.write(value >>> 16);
        out.write(value >>> 8);
        out.write(value);
    }
}
