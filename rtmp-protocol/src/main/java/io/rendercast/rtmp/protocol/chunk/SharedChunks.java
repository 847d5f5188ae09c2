package io.rendercast.rtmp.protocol.chunk;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.AbstractReferenceCounted;

/**
 * One message for many players: cut into chunks once per chunk size and message stream id (all players of a
 * server share one chunk size, and nearly all play on stream 1, so that is once), and written to each as a
 * retained duplicate of the same bytes.
 *
 * <p>Counted references, as Netty counts a buffer's: whoever keeps it past the call that made it (a cache, a task
 * on a network thread) {@link #retain()}s it, and each holder {@link #release()}s it once. It is never written to
 * a channel itself, only the buffers {@link #chunksFor} and {@link #messageFor} give.
 *
 * <p>Every message starts with a format 0 header, which needs no history of the chunk stream; the chunk stream
 * it goes on must be one that a connection's own {@link ChunkEncoder} never writes, or the two would disagree on
 * what the last header was.
 */
public final class SharedChunks extends AbstractReferenceCounted {

    /** Chunked forms kept; a fifth (chunk size, stream) pair is chunked for each player that asks. */
    private static final int KEPT = 4;

    private final int chunkStreamId;
    private final int typeId;
    private final int timestamp;
    private final ByteBuf payload;
    private final boolean keyFrame;
    // Guarded by this.
    private final int[] keptChunkSizes = new int[KEPT];
    private final int[] keptStreamIds = new int[KEPT];
    private final ByteBuf[] kept = new ByteBuf[KEPT];

    /** Takes over {@code payload}: it is released with {@link #release()}. */
    public SharedChunks(int chunkStreamId, int typeId, int timestamp, ByteBuf payload, boolean keyFrame) {
        this.chunkStreamId = chunkStreamId;
        this.typeId = typeId;
        this.timestamp = timestamp;
        this.payload = payload;
        this.keyFrame = keyFrame;
    }

    public int timestamp() {
        return timestamp;
    }

    public boolean keyFrame() {
        return keyFrame;
    }

    /** The payload's size in bytes. */
    public int size() {
        return payload.readableBytes();
    }

    /** The chunked bytes for a player at {@code chunkSize} on {@code messageStreamId}; the caller writes them. */
    public synchronized ByteBuf chunksFor(ByteBufAllocator alloc, int chunkSize, int messageStreamId) {
        if (refCnt() == 0) {
            throw new IllegalStateException("these chunks were released");
        }
        for (int i = 0; i < KEPT; i++) {
            if (kept[i] != null && keptChunkSizes[i] == chunkSize && keptStreamIds[i] == messageStreamId) {
                return kept[i].retainedDuplicate();
            }
        }
        ByteBuf chunks = chunk(alloc, chunkSize, messageStreamId);
        for (int i = 0; i < KEPT; i++) {
            if (kept[i] == null) {
                kept[i] = chunks;
                keptChunkSizes[i] = chunkSize;
                keptStreamIds[i] = messageStreamId;
                return chunks.retainedDuplicate();
            }
        }
        return chunks;
    }

    /** The message for a connection that is not RTMP (a browser's): its transport packages it. */
    public RawMessage messageFor(int messageStreamId) {
        return new RawMessage(chunkStreamId, typeId, messageStreamId, timestamp, payload.retainedDuplicate());
    }

    private ByteBuf chunk(ByteBufAllocator alloc, int chunkSize, int messageStreamId) {
        // A fresh encoder has no history, so its first message gets a format 0 header.
        ChunkEncoder encoder = new ChunkEncoder(chunkSize);
        RawMessage message = new RawMessage(chunkStreamId, typeId, messageStreamId, timestamp, payload);
        ByteBuf out = alloc.directBuffer(encoder.encodedSize(message));
        encoder.encode(message, out);
        return out;
    }

    /** One more holder; throws {@link io.netty.util.IllegalReferenceCountException} once released. */
    @Override
    public SharedChunks retain() {
        super.retain();
        return this;
    }

    @Override
    public SharedChunks retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public SharedChunks touch() {
        return this;
    }

    @Override
    public SharedChunks touch(Object hint) {
        return this;
    }

    /**
     * The last holder is done ({@link #release()} returned true): frees the payload and the chunked forms
     * (duplicates already written hold their own references). Under the lock {@link #chunksFor} fills them in.
     */
    @Override
    protected synchronized void deallocate() {
        payload.release();
        for (int i = 0; i < KEPT; i++) {
            if (kept[i] != null) {
                kept[i].release();
                kept[i] = null;
            }
        }
    }
}
