package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.chunk.RawMessage;

/** Set Chunk Size (type 1): the sender's chunks are this long from now on. Read by the chunk layer itself. */
public record SetChunkSize(int size) {

    public static SetChunkSize read(ByteBuf payload) {
        return new SetChunkSize((int) (ControlPayloads.readUnsignedInt(payload, MessageType.SET_CHUNK_SIZE) & 0x7FFFFFFF));
    }

    public RawMessage toMessage(ByteBufAllocator alloc) {
        return ControlPayloads.message(alloc, MessageType.SET_CHUNK_SIZE, size);
    }
}
