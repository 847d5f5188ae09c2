package io.rendercast.rtmp.protocol.chunk;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@ExtendWith(LeakCheckExtension.class)
class ChunkCodecTest {

    private final EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder());
    private final EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder());

    @AfterEach
    void finish() {
        encoder.finishAndReleaseAll();
        decoder.finishAndReleaseAll();
    }

    private static RawMessage message(int csid, int type, int stream, int timestamp, byte[] payload) {
        return new RawMessage(csid, type, stream, timestamp, Unpooled.wrappedBuffer(payload));
    }

    private static byte[] bytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    private ByteBuf encode(RawMessage... messages) {
        ByteBuf all = Unpooled.buffer();
        for (RawMessage message : messages) {
            encoder.writeOutbound(message);
            ByteBuf out;
            while ((out = encoder.readOutbound()) != null) {
                all.writeBytes(out);
                out.release();
            }
        }
        return all;
    }

    private List<RawMessage> decode(ByteBuf wire, int sliceSize) {
        while (wire.isReadable()) {
            decoder.writeInbound(wire.readRetainedSlice(Math.min(sliceSize, wire.readableBytes())));
        }
        wire.release();
        List<RawMessage> decoded = new ArrayList<>();
        RawMessage m;
        while ((m = decoder.readInbound()) != null) {
            decoded.add(m);
        }
        return decoded;
    }

    private static void assertSame(int csid, int type, int stream, int timestamp, byte[] payload, RawMessage actual) {
        try {
            assertEquals(csid, actual.chunkStreamId());
            assertEquals(type, actual.typeId());
            assertEquals(stream, actual.messageStreamId());
            assertEquals(timestamp, actual.timestamp());
            byte[] got = new byte[actual.payload().readableBytes()];
            actual.payload().getBytes(actual.payload().readerIndex(), got);
            assertArrayEquals(payload, got);
        } finally {
            actual.release();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {128, 4096, 65536})
    void roundTripsA64KiBVideoMessageAtChunkSize(int chunkSize) {
        byte[] video = bytes(65536, chunkSize);
        ByteBuf wire = encode(message(2, 1, 0, 0, Unpooled.buffer(4).writeInt(chunkSize).array()),
                message(6, 9, 1, 40, video));
        // The decoder applies Set Chunk Size itself and passes only the video on.
        List<RawMessage> decoded = decode(wire, 1000);
        assertEquals(1, decoded.size());
        assertSame(6, 9, 1, 40, video, decoded.getFirst());
        assertEquals(chunkSize, ((ChunkDecoder) decoder.pipeline().first()).chunkSize());
    }

    @Test
    void usesEveryHeaderFormatAndDecodesEachBack() {
        byte[] a = bytes(300, 1);
        byte[] b = bytes(300, 2);
        byte[] c = bytes(300, 3);
        byte[] d = bytes(100, 4);
        // format 0 (new chunk stream), 1 (new length), 2 (same length, new delta), 3 (same delta)
        ByteBuf wire = encode(message(6, 9, 1, 0, a), message(6, 9, 1, 33, d), message(6, 9, 1, 100, d),
                message(6, 9, 1, 167, d), message(6, 9, 1, 234, d), message(6, 9, 1, 300, b),
                message(6, 9, 1, 400, c));
        List<Integer> formats = new ArrayList<>();
        for (int i = 0; i < wire.readableBytes(); ) {
            int fmt = wire.getUnsignedByte(i) >>> 6;
            formats.add(fmt);
            break;
        }
        assertEquals(0, formats.getFirst());
        List<RawMessage> decoded = decode(wire.copy(), 7);
        assertEquals(7, decoded.size());
        int[] timestamps = {0, 33, 100, 167, 234, 300, 400};
        byte[][] payloads = {a, d, d, d, d, b, c};
        for (int i = 0; i < 7; i++) {
            assertSame(6, 9, 1, timestamps[i], payloads[i], decoded.get(i));
        }
        wire.release();
    }

    @Test
    void writesTheSmallestHeaderForEachMessage() {
        byte[] d = bytes(10, 5);
        assertEquals(0, firstFormat(encode(message(6, 9, 1, 0, d))));
        assertEquals(1, firstFormat(encode(message(6, 9, 1, 10, bytes(11, 6)))));
        assertEquals(2, firstFormat(encode(message(6, 9, 1, 30, bytes(11, 7)))));
        assertEquals(3, firstFormat(encode(message(6, 9, 1, 50, bytes(11, 8)))));
        assertEquals(0, firstFormat(encode(message(6, 9, 2, 60, bytes(11, 8)))), "new message stream");
        assertEquals(0, firstFormat(encode(message(6, 9, 2, 10, bytes(11, 8)))), "time went backwards");
    }

    private static int firstFormat(ByteBuf wire) {
        int format = wire.getUnsignedByte(0) >>> 6;
        wire.release();
        return format;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 63, 64, 319, 320, 65599})
    void carriesChunkStreamIdsInEachBasicHeaderForm(int csid) {
        byte[] payload = bytes(500, csid);
        ByteBuf wire = encode(message(csid, 20, 0, 5, payload));
        int expectedFirstByteLow = csid < 64 ? csid : csid < 320 ? 0 : 1;
        assertEquals(expectedFirstByteLow, wire.getUnsignedByte(0) & 0x3F);
        List<RawMessage> decoded = decode(wire, 3);
        assertSame(csid, 20, 0, 5, payload, decoded.getFirst());
    }

    @Test
    void extendedTimestampsSurviveOnEveryChunkAndAcrossDeltas() {
        byte[] big = bytes(1000, 9);
        int t0 = 0x01000000;
        int t1 = t0 + 0x01000000; // a delta that itself needs the extended field
        ByteBuf wire = encode(message(6, 9, 1, t0, big), message(6, 9, 1, t1, big));
        List<RawMessage> decoded = decode(wire, 100);
        assertEquals(2, decoded.size());
        assertSame(6, 9, 1, t0, big, decoded.get(0));
        assertSame(6, 9, 1, t1, big, decoded.get(1));
    }

    @Test
    void acceptsContinuationChunksWithoutTheExtendedTimestamp() {
        // A peer that writes the extended timestamp only on the first chunk, as some servers do.
        byte[] payload = bytes(200, 10);
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(6).writeMedium(0xFFFFFF).writeMedium(200).writeByte(9).writeIntLE(1).writeInt(0x12345678);
        wire.writeBytes(payload, 0, 128);
        wire.writeByte(0xC0 | 6).writeBytes(payload, 128, 72);
        List<RawMessage> decoded = decode(wire, 50);
        assertSame(6, 9, 1, 0x12345678, payload, decoded.getFirst());
    }

    @Test
    void joinsInterleavedMessagesOfSeveralChunkStreams() {
        byte[] video = bytes(300, 11);
        byte[] command = bytes(200, 12);
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(6).writeMedium(10).writeMedium(300).writeByte(9).writeIntLE(1);
        wire.writeBytes(video, 0, 128);
        wire.writeByte(3).writeMedium(0).writeMedium(200).writeByte(20).writeIntLE(0);
        wire.writeBytes(command, 0, 128);
        wire.writeByte(0xC0 | 6).writeBytes(video, 128, 128);
        wire.writeByte(0xC0 | 3).writeBytes(command, 128, 72);
        wire.writeByte(0xC0 | 6).writeBytes(video, 256, 44);
        List<RawMessage> decoded = decode(wire, 1);
        assertEquals(2, decoded.size());
        assertSame(3, 20, 0, 0, command, decoded.get(0));
        assertSame(6, 9, 1, 10, video, decoded.get(1));
    }

    @Test
    void abortDropsTheMessageInProgress() {
        byte[] video = bytes(300, 13);
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(6).writeMedium(0).writeMedium(300).writeByte(9).writeIntLE(1).writeBytes(video, 0, 128);
        wire.writeByte(2).writeMedium(0).writeMedium(4).writeByte(2).writeIntLE(0).writeInt(6);
        wire.writeByte(0x40 | 6).writeMedium(5).writeMedium(3).writeByte(9).writeBytes(new byte[] {1, 2, 3});
        List<RawMessage> decoded = decode(wire, 1000);
        assertEquals(1, decoded.size());
        assertSame(6, 9, 1, 5, new byte[] {1, 2, 3}, decoded.getFirst());
    }

    @Test
    void rejectsChunkSizeAboveLimit() {
        ByteBuf wire = Unpooled.buffer();
        wire.writeByte(2).writeMedium(0).writeMedium(4).writeByte(1).writeIntLE(0).writeInt(ChunkDecoder.MAX_CHUNK_SIZE + 1);
        DecoderException e = assertThrows(DecoderException.class, () -> decoder.writeInbound(wire));
        assertTrue(e.getMessage().contains("Set Chunk Size"), e.getMessage());
    }

    @Test
    void rejectsANewChunkStreamThatStartsWithoutALength() {
        ByteBuf wire = Unpooled.buffer().writeByte(0x80 | 7).writeMedium(0);
        DecoderException e = assertThrows(DecoderException.class, () -> decoder.writeInbound(wire));
        assertTrue(e.getMessage().contains("must start with format 0 or 1"), e.getMessage());
    }

    /** librtmp's first acknowledgement: chunk stream 2, a format 1 header, no format 0 before it. */
    @Test
    void takesANewChunkStreamThatStartsWithFormat1AsLibrtmpSendsIt() {
        ByteBuf wire = Unpooled.buffer().writeByte(0x40 | 2).writeMedium(0).writeMedium(4).writeByte(3)
                .writeInt(3_300);
        assertTrue(decoder.writeInbound(wire));
        RawMessage ack = decoder.readInbound();
        try {
            assertEquals(3, ack.typeId());
            assertEquals(0, ack.messageStreamId());
            assertEquals(0, ack.timestamp());
            assertEquals(3_300, ack.payload().getInt(0));
        } finally {
            ack.release();
        }
    }

    @Test
    void rejectsMessagesAboveTheSizeLimit() {
        ByteBuf wire = Unpooled.buffer().writeByte(6).writeMedium(0).writeMedium(0xFFFFFF).writeByte(9).writeIntLE(1);
        DecoderException e = assertThrows(DecoderException.class, () -> decoder.writeInbound(wire));
        assertTrue(e.getMessage().contains("larger than the limit"), e.getMessage());
    }

    @Test
    void rejectsTooManyChunkStreams() {
        ByteBuf wire = Unpooled.buffer();
        for (int csid = 2; csid < 2 + ChunkDecoder.DEFAULT_MAX_CHUNK_STREAMS + 1; csid++) {
            // a first chunk of a 1000-byte message on each stream: each stays open
            wire.writeByte(0).writeByte(csid).writeMedium(0).writeMedium(1000).writeByte(9).writeIntLE(1)
                    .writeBytes(new byte[128]);
        }
        DecoderException e = assertThrows(DecoderException.class, () -> decoder.writeInbound(wire));
        assertTrue(e.getMessage().contains("chunk streams in use"), e.getMessage());
    }

    @Test
    void waitsForTheRestOfAPartialHeader() {
        ByteBuf wire = encode(message(3, 20, 0, 1, bytes(20, 14)));
        decoder.writeInbound(wire.readRetainedSlice(5));
        assertNull(decoder.readInbound());
        decoder.writeInbound(wire);
        RawMessage m = decoder.readInbound();
        m.release();
    }
}
