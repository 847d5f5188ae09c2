package io.rendercast.rtmp.protocol.chunk;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.util.IllegalReferenceCountException;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class SharedChunksTest {

    private static SharedChunks frame(ByteBuf payload) {
        return new SharedChunks(6, 9, 40, payload, true);
    }

    @Test
    void theLastHolderFreesThePayloadAndTheKeptChunks() {
        ByteBuf payload = ByteBufAllocator.DEFAULT.directBuffer().writeBytes(new byte[300]);
        SharedChunks chunks = frame(payload);
        ByteBuf written = chunks.chunksFor(ByteBufAllocator.DEFAULT, 128, 1);
        assertSame(chunks, chunks.retain());
        assertEquals(2, chunks.refCnt());
        assertFalse(chunks.release());
        assertEquals(1, payload.refCnt());
        assertTrue(chunks.release());
        assertEquals(0, chunks.refCnt());
        assertEquals(0, payload.refCnt());
        assertEquals(1, written.refCnt(), "a duplicate already given holds its own reference");
        assertEquals(300 + 12 + 2, written.readableBytes()); // a format 0 header, then two of type 3
        written.release();
    }

    @Test
    void refusesUseAfterTheLastRelease() {
        SharedChunks chunks = frame(Unpooled.buffer().writeBytes(new byte[10]));
        chunks.release();
        assertThrows(IllegalStateException.class, () -> chunks.chunksFor(ByteBufAllocator.DEFAULT, 128, 1));
        assertThrows(IllegalReferenceCountException.class, chunks::retain);
        assertThrows(IllegalReferenceCountException.class, chunks::release);
    }

    @Test
    void chunksOncePerChunkSizeAndStream() {
        SharedChunks chunks = frame(Unpooled.buffer().writeBytes(new byte[200]));
        ByteBuf first = chunks.chunksFor(ByteBufAllocator.DEFAULT, 128, 1);
        ByteBuf again = chunks.chunksFor(ByteBufAllocator.DEFAULT, 128, 1);
        ByteBuf other = chunks.chunksFor(ByteBufAllocator.DEFAULT, 4096, 1);
        assertEquals(3, first.refCnt(), "the same kept bytes, duplicated: kept, and two holders");
        assertEquals(2, other.refCnt());
        assertEquals(200 + 12 + 1, first.readableBytes());
        assertEquals(200 + 12, other.readableBytes());
        first.release();
        again.release();
        other.release();
        chunks.release();
    }
}
