package io.rendercast.benchmarks;

import java.util.HashMap;
import java.util.Map;

/**
 * Follows the bytes an RTMP client sends, from its handshake on, just far enough to know where each of its
 * messages ends, so that {@link InputRelay} can put a message of its own between two of them. It reads the chunk
 * headers and the client's Set Chunk Size, and skips the rest: the handshake's C0+C1 and C2, each chunk's
 * extended timestamp and payload. Written apart from the server's chunk decoder on purpose, as
 * {@link ClientCommands} is, so that a bug there cannot hide itself here. An Abort Message (type 2), which ffmpeg
 * never sends, is passed as any other: the message it abandons would be taken as still unfinished. One thread follows
 * one client.
 */
final class ClientMessageBoundaries {

    /** C0 and C1 (1 + 1536 bytes), then C2 (1536): the client's whole handshake, skipped unread. */
    private static final int HANDSHAKE = 1 + 1536 + 1536;
    /** The message header's length by chunk format 0 to 3. */
    private static final int[] MESSAGE_HEADER = {11, 7, 3, 0};
    private static final int EXTENDED_TIMESTAMP_MARK = 0xFFFFFF;
    private static final int SET_CHUNK_SIZE = 1;

    private enum Part { HANDSHAKE, BASIC_HEADER, CHUNK_STREAM_ID, MESSAGE_HEADER, EXTENDED_TIMESTAMP, PAYLOAD }

    /** What the headers of one chunk stream id have said, and how much of its current message is still to come. */
    private static final class ChunkStream {
        int length;
        int type;
        boolean extended;
        int left;
        /** A Set Chunk Size message's payload, as its bytes come. */
        int value;
    }

    private final Map<Integer, ChunkStream> streams = new HashMap<>();
    private final byte[] header = new byte[11];
    private Part part = Part.HANDSHAKE;
    /** Bytes still to come of the current part. */
    private int needed = HANDSHAKE;
    private int filled;
    private int format;
    private int chunkStreamId;
    private ChunkStream current;
    private int chunkSize = 128;
    /** Messages begun and not yet ended: a client may interleave the chunks of messages on different ids. */
    private int unfinished;
    private boolean messageEnded;

    /** Whether the bytes followed so far end between two messages (after the handshake, no message half sent). */
    boolean atBoundary() {
        return part == Part.BASIC_HEADER && unfinished == 0;
    }

    /**
     * Follows up to {@code length} bytes from {@code offset}: all of them, or fewer when a boundary comes first
     * (the end of the handshake, or of a message with no other one unfinished). Returns how many it followed.
     *
     * @throws IllegalStateException when the bytes are not a chunk stream a server would take
     */
    int follow(byte[] bytes, int offset, int length) {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            at += step(bytes, at, end);
            if (messageEnded) {
                messageEnded = false;
                if (atBoundary()) {
                    return at - offset;
                }
            }
        }
        return length;
    }

    /** Follows one part, or as much of it as there is; returns the bytes taken. */
    private int step(byte[] bytes, int at, int end) {
        switch (part) {
            case HANDSHAKE, EXTENDED_TIMESTAMP -> {
                int taken = Math.min(needed, end - at);
                needed -= taken;
                if (needed == 0 && part == Part.HANDSHAKE) {
                    part = Part.BASIC_HEADER;
                    messageEnded = true; // the first boundary: a relay may write from here on
                } else if (needed == 0) {
                    startPayload();
                }
                return taken;
            }
            case BASIC_HEADER -> {
                int first = bytes[at] & 0xFF;
                format = first >>> 6;
                chunkStreamId = first & 0x3F;
                if (chunkStreamId < 2) { // 0: one more byte, 1: two more, little-endian, both from 64 on
                    part = Part.CHUNK_STREAM_ID;
                    needed = chunkStreamId == 0 ? 1 : 2;
                    filled = 0;
                } else {
                    startMessageHeader();
                }
                return 1;
            }
            case CHUNK_STREAM_ID -> {
                header[filled++] = bytes[at];
                if (filled == needed) {
                    chunkStreamId = 64 + (header[0] & 0xFF) + (needed == 2 ? (header[1] & 0xFF) << 8 : 0);
                    startMessageHeader();
                }
                return 1;
            }
            case MESSAGE_HEADER -> {
                header[filled++] = bytes[at];
                if (filled == needed) {
                    endMessageHeader();
                }
                return 1;
            }
            case PAYLOAD -> {
                int taken = Math.min(needed, end - at);
                if (current.type == SET_CHUNK_SIZE) {
                    for (int i = 0; i < taken; i++) {
                        current.value = current.value << 8 | (bytes[at + i] & 0xFF);
                    }
                }
                needed -= taken;
                current.left -= taken;
                if (needed == 0) {
                    endChunk();
                }
                return taken;
            }
            default -> throw new AssertionError(part);
        }
    }

    private void startMessageHeader() {
        part = Part.MESSAGE_HEADER;
        needed = MESSAGE_HEADER[format];
        filled = 0;
        if (needed == 0) {
            endMessageHeader();
        }
    }

    private void endMessageHeader() {
        ChunkStream stream = streams.get(chunkStreamId);
        if (stream == null && format > 1) {
            throw new IllegalStateException("chunk stream " + chunkStreamId + " starts with a format " + format
                    + " header, which leaves its message's length unknown; expected format 0 or 1");
        }
        if (stream == null) {
            stream = new ChunkStream();
            streams.put(chunkStreamId, stream);
        }
        if (stream.left > 0 && format != 3) {
            throw new IllegalStateException("chunk stream " + chunkStreamId + " sent a format " + format + " header "
                    + "with " + stream.left + " bytes of its message still to come; expected format 3");
        }
        if (format <= 1) {
            stream.length = (header[3] & 0xFF) << 16 | (header[4] & 0xFF) << 8 | (header[5] & 0xFF);
            stream.type = header[6] & 0xFF;
        }
        if (format <= 2) { // format 3 keeps the last header's mark, on a new message as on a continuation
            int timestamp = (header[0] & 0xFF) << 16 | (header[1] & 0xFF) << 8 | (header[2] & 0xFF);
            stream.extended = timestamp == EXTENDED_TIMESTAMP_MARK;
        }
        if (stream.left == 0) { // a new message, whatever the format
            stream.left = stream.length;
            stream.value = 0;
            unfinished++;
        }
        current = stream;
        if (stream.extended) {
            part = Part.EXTENDED_TIMESTAMP;
            needed = 4;
        } else {
            startPayload();
        }
    }

    private void startPayload() {
        part = Part.PAYLOAD;
        needed = Math.min(chunkSize, current.left);
        if (needed == 0) { // a message of no bytes ends with its header
            endChunk();
        }
    }

    private void endChunk() {
        part = Part.BASIC_HEADER;
        if (current.left > 0) {
            return;
        }
        unfinished--;
        messageEnded = true;
        if (current.type == SET_CHUNK_SIZE) {
            if (current.length != 4 || current.value <= 0) {
                throw new IllegalStateException("a Set Chunk Size of " + current.length + " bytes saying "
                        + current.value + "; expected 4 bytes of a size from 1 to 2^31 - 1");
            }
            chunkSize = current.value;
        }
    }
}
