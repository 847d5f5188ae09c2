package io.rendercast.rtmp.protocol.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.util.Recycler;
import io.netty.util.ReferenceCounted;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

/**
 * One RTMP message as the chunk layer sees it: header fields and an opaque payload.
 *
 * <p>Owns its payload: whoever holds the message releases it once (the chunk encoder does so after writing).
 * Messages on the hot paths (every decoded message, every video frame) come from {@link #pooled} and go back to
 * the pool when its last holder releases it (the payload may live on, held by others), so that steady streaming
 * allocates no header objects; such a message must not be read after its release.
 */
public final class RawMessage implements ReferenceCounted {

    /** The lowest chunk stream id a message may use; 0 and 1 only mark the longer basic header forms. */
    public static final int MIN_CHUNK_STREAM_ID = 2;
    /** The highest chunk stream id the 3-byte basic header can carry. */
    public static final int MAX_CHUNK_STREAM_ID = 65599;

    private static final Recycler<RawMessage> POOL = new Recycler<>() {
        @Override
        protected RawMessage newObject(Handle<RawMessage> handle) {
            return new RawMessage(handle);
        }
    };

    private static final AtomicIntegerFieldUpdater<RawMessage> REFS =
            AtomicIntegerFieldUpdater.newUpdater(RawMessage.class, "refs");

    private final Recycler.Handle<RawMessage> handle;
    /** Holders of this message; each holds one reference to the payload too. */
    private volatile int refs;
    private int chunkStreamId;
    private int typeId;
    private int messageStreamId;
    private int timestamp;
    private ByteBuf payload;

    private RawMessage(Recycler.Handle<RawMessage> handle) {
        this.handle = handle;
    }

    /**
     * @param chunkStreamId   the chunk stream it travels on (2 to 65599)
     * @param typeId          the message type id (see {@code message.MessageType})
     * @param messageStreamId the message stream (0 for the connection itself)
     * @param timestamp       milliseconds, an unsigned 32-bit value
     * @param payload         the message body, owned by the message from now on
     */
    public RawMessage(int chunkStreamId, int typeId, int messageStreamId, int timestamp, ByteBuf payload) {
        this.handle = null;
        set(chunkStreamId, typeId, messageStreamId, timestamp, payload);
    }

    /** As the constructor, from a pool: the message object is reused once its payload is freed. */
    public static RawMessage pooled(int chunkStreamId, int typeId, int messageStreamId, int timestamp,
                                    ByteBuf payload) {
        return POOL.get().set(chunkStreamId, typeId, messageStreamId, timestamp, payload);
    }

    private RawMessage set(int chunkStreamId, int typeId, int messageStreamId, int timestamp, ByteBuf payload) {
        if (chunkStreamId < MIN_CHUNK_STREAM_ID || chunkStreamId > MAX_CHUNK_STREAM_ID) {
            throw new IllegalArgumentException("chunk stream id must be in [2, 65599], got " + chunkStreamId);
        }
        if (typeId < 0 || typeId > 255) {
            throw new IllegalArgumentException("message type id must be one byte, got " + typeId);
        }
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.messageStreamId = messageStreamId;
        this.timestamp = timestamp;
        this.payload = payload;
        this.refs = 1;
        return this;
    }

    public int chunkStreamId() {
        return chunkStreamId;
    }

    public int typeId() {
        return typeId;
    }

    public int messageStreamId() {
        return messageStreamId;
    }

    public int timestamp() {
        return timestamp;
    }

    public ByteBuf payload() {
        return payload;
    }

    /** The holders of this message (not of its payload, which others may hold too). */
    @Override
    public int refCnt() {
        return refs;
    }

    @Override
    public RawMessage retain() {
        return retain(1);
    }

    @Override
    public RawMessage retain(int increment) {
        payload.retain(increment);
        REFS.addAndGet(this, increment);
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
        return release(1);
    }

    @Override
    public boolean release(int decrement) {
        ByteBuf released = payload;
        boolean last = REFS.addAndGet(this, -decrement) == 0;
        boolean freed = released.release(decrement);
        if (last && handle != null) {
            payload = null;
            handle.recycle(this);
        }
        return freed;
    }

    @Override
    public String toString() {
        return "RawMessage[csid=" + chunkStreamId + ", type=" + typeId + ", stream=" + messageStreamId
                + ", timestamp=" + Integer.toUnsignedString(timestamp) + ", length="
                + (payload == null ? "released" : payload.readableBytes()) + "]";
    }
}
