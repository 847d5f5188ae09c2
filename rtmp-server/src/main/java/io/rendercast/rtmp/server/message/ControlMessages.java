package io.rendercast.rtmp.server.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.server.chunk.RawMessage;

/** Builds the protocol control and user control messages. */
public final class ControlMessages {

    /** Set Peer Bandwidth limit types. */
    public static final int LIMIT_HARD = 0;
    public static final int LIMIT_SOFT = 1;
    public static final int LIMIT_DYNAMIC = 2;

    private ControlMessages() {
    }

    public static RawMessage setChunkSize(ByteBufAllocator alloc, int size) {
        return control(alloc, MessageType.SET_CHUNK_SIZE, alloc.buffer(4).writeInt(size));
    }

    public static RawMessage acknowledgement(ByteBufAllocator alloc, long sequenceNumber) {
        return control(alloc, MessageType.ACKNOWLEDGEMENT, alloc.buffer(4).writeInt((int) sequenceNumber));
    }

    public static RawMessage windowAcknowledgementSize(ByteBufAllocator alloc, int size) {
        return control(alloc, MessageType.WINDOW_ACKNOWLEDGEMENT_SIZE, alloc.buffer(4).writeInt(size));
    }

    public static RawMessage setPeerBandwidth(ByteBufAllocator alloc, int size, int limitType) {
        return control(alloc, MessageType.SET_PEER_BANDWIDTH, alloc.buffer(5).writeInt(size).writeByte(limitType));
    }

    /** A user control event that carries a stream id or a timestamp. */
    public static RawMessage userControl(ByteBufAllocator alloc, UserControlEvent event, int value) {
        return control(alloc, MessageType.USER_CONTROL, alloc.buffer(6).writeShort(event.id()).writeInt(value));
    }

    /** Set Buffer Length: a stream id and a buffer length in milliseconds. */
    public static RawMessage setBufferLength(ByteBufAllocator alloc, int streamId, int millis) {
        ByteBuf payload = alloc.buffer(10).writeShort(UserControlEvent.SET_BUFFER_LENGTH.id())
                .writeInt(streamId).writeInt(millis);
        return control(alloc, MessageType.USER_CONTROL, payload);
    }

    private static RawMessage control(ByteBufAllocator alloc, MessageType type, ByteBuf payload) {
        return new RawMessage(ChunkStreams.CONTROL, type.id(), 0, 0, payload);
    }
}
