package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.chunk.RawMessage;

/** Acknowledgement (type 3): the bytes received so far, sent each time a window's worth has come. */
public record Acknowledgement(long sequenceNumber) {

    public static Acknowledgement read(ByteBuf payload) {
        return new Acknowledgement(ControlPayloads.readUnsignedInt(payload, MessageType.ACKNOWLEDGEMENT));
    }

    public RawMessage toMessage(ByteBufAllocator alloc) {
        return ControlPayloads.message(alloc, MessageType.ACKNOWLEDGEMENT, (int) sequenceNumber);
    }
}
