package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.chunk.RawMessage;

/** Set Peer Bandwidth (type 6): the peer's output bandwidth, as a window size and how to apply it. */
public record SetPeerBandwidth(long size, int limitType) {

    public static final int LIMIT_HARD = 0;
    public static final int LIMIT_SOFT = 1;
    public static final int LIMIT_DYNAMIC = 2;

    public static SetPeerBandwidth read(ByteBuf payload) {
        long size = ControlPayloads.readUnsignedInt(payload, MessageType.SET_PEER_BANDWIDTH);
        ControlPayloads.require(payload, 1, MessageType.SET_PEER_BANDWIDTH);
        return new SetPeerBandwidth(size, payload.readUnsignedByte());
    }

    public RawMessage toMessage(ByteBufAllocator alloc) {
        return ControlPayloads.message(MessageType.SET_PEER_BANDWIDTH,
                alloc.buffer(5).writeInt((int) size).writeByte(limitType));
    }
}
