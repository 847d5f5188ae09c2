package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.chunk.RawMessage;

/** Window Acknowledgement Size (type 5): acknowledge after this many bytes. */
public record WindowAcknowledgementSize(long size) {

    public static WindowAcknowledgementSize read(ByteBuf payload) {
        return new WindowAcknowledgementSize(ControlPayloads.readUnsignedInt(payload,
                MessageType.WINDOW_ACKNOWLEDGEMENT_SIZE));
    }

    public RawMessage toMessage(ByteBufAllocator alloc) {
        return ControlPayloads.message(alloc, MessageType.WINDOW_ACKNOWLEDGEMENT_SIZE, (int) size);
    }
}
