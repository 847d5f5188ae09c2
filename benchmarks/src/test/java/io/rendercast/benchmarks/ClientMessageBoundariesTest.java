package io.rendercast.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ClientMessageBoundaries} on a client's bytes written by hand ({@link ClientStream}). */
class ClientMessageBoundariesTest {

    /**
     * Every kind of chunk a client may send: format 0 to 3 headers, basic headers of one to three bytes, continuation
     * chunks at the default and a changed chunk size, extended timestamps (repeated on format 3 chunks), a message of
     * no bytes, and two messages whose chunks interleave.
     */
    static ClientStream everyKindOfChunk() {
        ClientStream stream = new ClientStream().handshake();
        stream.message(3, 0, 20, 0, stream.randomBytes(200)) // two chunks at 128
                .setChunkSize(300)
                .message(4, 0x1234567, 9, 1, stream.randomBytes(700)) // extended timestamp; three chunks at 300
                .compressed(3, 1, 33, 20, stream.randomBytes(10))
                .compressed(3, 3, 0, 20, stream.randomBytes(10)) // format 3 starting a message: length 10 again
                .compressed(3, 2, 0xFFFFFF, 20, stream.randomBytes(10))
                .message(100, 0, 20, 0, stream.randomBytes(5)) // two-byte basic header
                .message(400, 0, 20, 0, new byte[0]) // three-byte basic header, no payload
                .setChunkSize(64)
                .interleaved(5, stream.randomBytes(150), 6, stream.randomBytes(40))
                .message(3, 0xFFFFFF, 20, 0, stream.randomBytes(130)); // extended, a format 3 chunk at 64
        return stream;
    }

    @Test
    void findsEveryMessageEndWhateverTheReadsAre() {
        ClientStream stream = everyKindOfChunk();
        byte[] bytes = stream.bytes();
        assertEquals(stream.boundaries(), boundaries(bytes, List.of(bytes.length)), "all at once");
        assertEquals(stream.boundaries(), boundaries(bytes, List.of(1)), "a byte at a time");
        Random random = new Random(11);
        for (int run = 0; run < 50; run++) {
            List<Integer> reads = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                reads.add(1 + random.nextInt(400));
            }
            assertEquals(stream.boundaries(), boundaries(bytes, reads), "reads of " + reads);
        }
    }

    @Test
    void isNotAtABoundaryInsideTheHandshakeOrAMessage() {
        ClientStream stream = everyKindOfChunk();
        byte[] bytes = stream.bytes();
        ClientMessageBoundaries follower = new ClientMessageBoundaries();
        for (int at = 0; at < bytes.length; at++) {
            follower.follow(bytes, at, 1);
            assertEquals(stream.boundaries().contains(at + 1), follower.atBoundary(), "after byte " + at);
        }
        assertFalse(new ClientMessageBoundaries().atBoundary(), "before the handshake");
    }

    @Test
    void rejectsAFormat2ChunkOnANewChunkStream() {
        byte[] bytes = new ClientStream().handshake().raw(new byte[] {(byte) 0x85, 0, 0, 0}).bytes();
        ClientMessageBoundaries follower = new ClientMessageBoundaries();
        assertThrows(IllegalStateException.class, () -> boundaries(follower, bytes, List.of(bytes.length)));
    }

    /** Follows {@code bytes} in reads of the given lengths, cycled; returns where it found itself at a boundary. */
    private static List<Integer> boundaries(byte[] bytes, List<Integer> reads) {
        return boundaries(new ClientMessageBoundaries(), bytes, reads);
    }

    private static List<Integer> boundaries(ClientMessageBoundaries follower, byte[] bytes, List<Integer> reads) {
        List<Integer> found = new ArrayList<>();
        int at = 0;
        for (int read = 0; at < bytes.length; read++) {
            int end = Math.min(bytes.length, at + reads.get(read % reads.size()));
            while (at < end) {
                at += follower.follow(bytes, at, end - at);
                if (follower.atBoundary()) {
                    found.add(at);
                }
            }
        }
        return found;
    }
}
