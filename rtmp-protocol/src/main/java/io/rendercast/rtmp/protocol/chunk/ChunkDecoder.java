package io.rendercast.rtmp.protocol.chunk;

import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.ABORT;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.DEFAULT_CHUNK_SIZE;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.EXTENDED_TIMESTAMP_MARK;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.MESSAGE_HEADER_SIZE;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.SET_CHUNK_SIZE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;
import java.util.List;

/**
 * Joins chunks into {@link RawMessage}s.
 *
 * <p>Reads one whole chunk at a time (it waits until the chunk's bytes are all there), keeps a partly received
 * message per chunk stream, and applies Set Chunk Size and Abort itself; neither is passed on. Limits keep one
 * client from growing memory without bound: the number of chunk streams, the size of a message and the chunk
 * size are capped, and breaking a cap is a {@link ChunkException}.
 *
 * <p>A message's buffer grows as its bytes arrive: announcing a large message costs the server nothing until
 * the bytes come. What one connection holds in unfinished messages is capped, and so is what all connections
 * hold together ({@link UnfinishedBytes}); running out of either is reported as what it is.
 */
public final class ChunkDecoder extends ByteToMessageDecoder {

    /** Largest chunk size a peer may set unless the decoder is told otherwise. */
    public static final int MAX_CHUNK_SIZE = 1 << 24;
    /** Default cap on one message's size. */
    public static final int DEFAULT_MAX_MESSAGE_SIZE = 4 << 20;
    /** Default cap on chunk streams in use at once. */
    public static final int DEFAULT_MAX_CHUNK_STREAMS = 64;

    /** Default cap on the bytes of unfinished messages one connection holds. */
    public static final int DEFAULT_MAX_UNFINISHED_BYTES = 8 << 20;

    private final int maxMessageSize;
    private final int maxChunkStreams;
    private final int maxChunkSize;
    private final int maxUnfinishedBytes;
    private final UnfinishedBytes serverWide;
    private int unfinishedBytes;
    private final IntObjectMap<ChunkStreamState> streams = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;
    private boolean failed;

    public ChunkDecoder() {
        this(DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_CHUNK_STREAMS, MAX_CHUNK_SIZE, DEFAULT_MAX_UNFINISHED_BYTES,
                new UnfinishedBytes(Long.MAX_VALUE));
    }

    public ChunkDecoder(int maxMessageSize, int maxChunkStreams) {
        this(maxMessageSize, maxChunkStreams, MAX_CHUNK_SIZE, DEFAULT_MAX_UNFINISHED_BYTES,
                new UnfinishedBytes(Long.MAX_VALUE));
    }

    /**
     * @param maxChunkSize       the largest chunk size the peer may announce
     * @param maxUnfinishedBytes what this connection may hold in messages not yet whole
     * @param serverWide         what all connections together may hold, shared by their decoders
     */
    public ChunkDecoder(int maxMessageSize, int maxChunkStreams, int maxChunkSize, int maxUnfinishedBytes,
                        UnfinishedBytes serverWide) {
        this.maxMessageSize = maxMessageSize;
        this.maxChunkStreams = maxChunkStreams;
        this.maxChunkSize = maxChunkSize;
        this.maxUnfinishedBytes = maxUnfinishedBytes;
        this.serverWide = serverWide;
    }

    /** The chunk size the peer uses now. */
    public int chunkSize() {
        return chunkSize;
    }

    /** Per chunk stream: the last header's fields and the message being joined. */
    private static final class ChunkStreamState {
        int typeId;
        int messageStreamId;
        int length;
        int timestamp;
        /** The last timestamp field (absolute for format 0, delta otherwise), which format 3 adds again. */
        int timestampField;
        boolean extended;
        ByteBuf partial;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            // After a broken chunk nothing that follows can be framed; the connection is being closed.
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            decodeChunk(ctx, in, out);
        } catch (ChunkException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void decodeChunk(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        int available = in.readableBytes();
        if (available < 1) {
            return;
        }
        int first = in.getUnsignedByte(start);
        int format = first >>> 6;
        int chunkStreamId = first & 0x3F;
        int index = start + 1;
        if (chunkStreamId == 0) {
            if (available < 2) {
                return;
            }
            chunkStreamId = 64 + in.getUnsignedByte(index);
            index += 1;
        } else if (chunkStreamId == 1) {
            if (available < 3) {
                return;
            }
            chunkStreamId = 64 + in.getUnsignedByte(index) + (in.getUnsignedByte(index + 1) << 8);
            index += 2;
        }
        int headerEnd = index + MESSAGE_HEADER_SIZE[format];
        if (in.writerIndex() < headerEnd) {
            return;
        }

        ChunkStreamState state = streams.get(chunkStreamId);
        if (state == null) {
            // librtmp (rtmpdump, VLC) starts chunk stream 2 with a format 1 header for its acknowledgements: it
            // carries the length and type, and the rest is taken as zero, as nginx-rtmp takes it. Formats 2 and 3
            // would leave the message's length unknown.
            if (format > 1) {
                throw new ChunkException("chunk stream " + chunkStreamId + " starts with a format " + format
                        + " header; a new chunk stream must start with format 0 or 1");
            }
            if (streams.size() >= maxChunkStreams) {
                throw new ChunkException("more than " + maxChunkStreams + " chunk streams in use at once");
            }
            state = new ChunkStreamState();
            streams.put(chunkStreamId, state);
        }
        boolean continuation = state.partial != null;
        if (continuation && format != 3) {
            throw new ChunkException("chunk stream " + chunkStreamId + " sent a format " + format
                    + " header in the middle of a message; only format 3 may continue one");
        }

        int timestampField = format == 3 ? state.timestampField : in.getUnsignedMedium(index);
        boolean extended = format == 3 ? state.extended : timestampField == EXTENDED_TIMESTAMP_MARK;
        int payloadStart = headerEnd;
        if (extended) {
            if (in.writerIndex() < headerEnd + 4) {
                return;
            }
            int extendedValue = in.getInt(headerEnd);
            if (format != 3 || !continuation) {
                timestampField = extendedValue;
                payloadStart += 4;
            } else if (extendedValue == state.timestampField) {
                // ffmpeg and librtmp repeat the extended timestamp on continuation chunks; the spec is unclear
                // and some peers do not, so it is taken only when it matches.
                payloadStart += 4;
            }
        }

        int length = state.length;
        int typeId = state.typeId;
        int messageStreamId = state.messageStreamId;
        if (format <= 1) {
            length = in.getUnsignedMedium(index + 3);
            typeId = in.getUnsignedByte(index + 6);
        }
        if (format == 0) {
            messageStreamId = in.getIntLE(index + 7);
        }
        if (!continuation && length > maxMessageSize) {
            throw new ChunkException("message of " + length + " bytes on chunk stream " + chunkStreamId
                    + " is larger than the limit of " + maxMessageSize);
        }

        int received = continuation ? state.partial.readableBytes() : 0;
        int chunkPayload = Math.min(chunkSize, length - received);
        if (in.writerIndex() < payloadStart + chunkPayload) {
            return;
        }

        if (!continuation) {
            state.length = length;
            state.typeId = typeId;
            state.messageStreamId = messageStreamId;
            state.timestamp = format == 0 ? timestampField : state.timestamp + timestampField;
            state.timestampField = timestampField;
            state.extended = extended;
            // Room for this chunk only, growing as the rest comes: an announced length costs nothing yet.
            state.partial = ctx.alloc().buffer(Math.max(1, Math.min(length, chunkPayload)), Math.max(1, length));
        }
        boolean whole = received + chunkPayload == state.length;
        if (!whole) {
            hold(chunkPayload, chunkStreamId); // what the partial message holds, as it grows
        } else if (continuation) {
            release(received); // whole now: it leaves the decoder
        }
        in.readerIndex(payloadStart);
        state.partial.writeBytes(in, chunkPayload);

        if (whole) {
            ByteBuf payload = state.partial;
            state.partial = null;
            handleMessage(chunkStreamId, state, payload, out);
        }
    }

    /** Counts {@code bytes} more held in unfinished messages, or fails when a cap would be passed. */
    private void hold(int bytes, int chunkStreamId) {
        if ((long) unfinishedBytes + bytes > maxUnfinishedBytes) {
            throw new ChunkException("more than " + maxUnfinishedBytes + " bytes in unfinished messages on one "
                    + "connection (chunk stream " + chunkStreamId + " would add " + bytes + ")");
        }
        if (!serverWide.tryHold(bytes)) {
            throw new ChunkException("the server's budget of " + serverWide.max() + " bytes for unfinished messages "
                    + "of all connections is spent; this connection is closed to keep it");
        }
        unfinishedBytes += bytes;
    }

    private void release(int bytes) {
        unfinishedBytes -= bytes;
        serverWide.release(bytes);
    }

    private void handleMessage(int chunkStreamId, ChunkStreamState state, ByteBuf payload, List<Object> out) {
        switch (state.typeId) {
            case SET_CHUNK_SIZE -> {
                try {
                    setChunkSize(payload);
                } finally {
                    payload.release();
                }
            }
            case ABORT -> {
                try {
                    abort(payload);
                } finally {
                    payload.release();
                }
            }
            default -> out.add(RawMessage.pooled(chunkStreamId, state.typeId, state.messageStreamId, state.timestamp,
                    payload));
        }
    }

    private void setChunkSize(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw new ChunkException("Set Chunk Size needs 4 bytes, got " + payload.readableBytes());
        }
        int size = payload.getInt(payload.readerIndex());
        if (size < 1 || size > maxChunkSize) {
            throw new ChunkException("Set Chunk Size to " + Integer.toUnsignedString(size)
                    + "; expected 1 to " + maxChunkSize);
        }
        chunkSize = size;
    }

    private void abort(ByteBuf payload) {
        if (payload.readableBytes() < 4) {
            throw new ChunkException("Abort needs 4 bytes, got " + payload.readableBytes());
        }
        ChunkStreamState aborted = streams.get(payload.getInt(payload.readerIndex()));
        if (aborted != null && aborted.partial != null) {
            release(aborted.partial.readableBytes());
            aborted.partial.release();
            aborted.partial = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        for (ChunkStreamState state : streams.values()) {
            if (state.partial != null) {
                state.partial.release();
                state.partial = null;
            }
        }
        streams.clear();
        serverWide.release(unfinishedBytes);
        unfinishedBytes = 0;
    }
}
