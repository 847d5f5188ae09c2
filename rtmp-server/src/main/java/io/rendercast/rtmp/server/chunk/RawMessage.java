package io.rendercast.rtmp.server.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.util.ReferenceCounted;

/**
 * One RTMP message as the chunk layer sees it: header fields and an opaque payload.
 *
 * <p>Owns its payload: whoever holds the message releases it once (Netty's encoders do so after writing).
 *
 * @param chunkStreamId   the chunk stream it travels on (2 to 65599)
 * @param typeId          the message type id (see {@code message.MessageType})
 * @param messageStreamId the message stream (0 for the connection itself)
 * @param timestamp       milliseconds, an unsigned 32-bit value
 * @param payload         the message body
 */
public record RawMessage(int chunkStreamId, int typeId, int messageStreamId, int timestamp, ByteBuf payload)
        implements ReferenceCounted {

    /** The lowest chunk stream id a message may use; 0 and 1 only mark the longer basic header forms. */
    public static final int MIN_CHUNK_STREAM_ID = 2;
    /** The highest chunk stream id the 3-byte basic header can carry. */
    public static final int MAX_CHUNK_STREAM_ID = 65599;

    public RawMessage {
        if (chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID) {
            throw new IllegalArgumentException("chunk stream id must be in [2, 65599], got " + chunkStreamId);
        }
        if (typeId < 0 || typeId > 255) {
            throw new IllegalArgumentException("message type id must be one byte, got " + typeId);
        }
    }

    @Override
    public int refCnt() {
        return payload.refCnt();
    }

    @Override
    public RawMessage retain() {
        payload.retain();
        return this;
    }

    @Override
    public RawMessage retain(int increment) {
        payload.retain(increment);
        return this;
    }

    @Override
    public RawMessage touch() {
        payload.touch();
        return this;
    }

    @Override
    public RawMessage touch(Object hint) {
        payload.touch(hint);
        return this;
    }

    @Override
    public boolean release() {
        return payload.release();
    }

    @Override
    public boolean release(int decrement) {
        return payload.release(decrement);
    }

    @Override
    public String toString() {
        return "RawMessage[csid=" + chunkStreamId + ", type=" + typeId + ", stream=" + messageStreamId
                + ", timestamp=" + Integer.toUnsignedString(timestamp) + ", length=" + payload.readableBytes() + "]";
    }
}
