package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.chunk.RawMessage;

/** What the protocol control and user control messages share: their chunk stream, and reading a payload. */
final class ControlPayloads {

    private ControlPayloads() {
    }

    static RawMessage message(MessageType type, ByteBuf payload) {
        return new RawMessage(ChunkStreams.CONTROL, type.id(), 0, 0, payload);
    }

    static RawMessage message(ByteBufAllocator alloc, MessageType type, int value) {
        return message(type, alloc.buffer(4).writeInt(value));
    }

    /** The payload's next 4 bytes as an unsigned number. */
    static long readUnsignedInt(ByteBuf payload, MessageType type) {
        require(payload, 4, type);
        return payload.readUnsignedInt();
    }

    static void require(ByteBuf payload, int bytes, MessageType type) {
        if (payload.readableBytes() < bytes) {
            throw new MessageException(type + " needs " + bytes + " more bytes, has " + payload.readableBytes());
        }
    }
}
