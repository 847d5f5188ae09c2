package io.rendercast.rtmp.protocol.chunk;

import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.DEFAULT_CHUNK_SIZE;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.EXTENDED_TIMESTAMP_MARK;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.MESSAGE_HEADER_SIZE;
import static io.rendercast.rtmp.protocol.chunk.ChunkFormat.SET_CHUNK_SIZE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Cuts {@link RawMessage}s into chunks, with the smallest header each chunk stream's history allows.
 *
 * <p>A large direct payload (a video frame) is not copied: the encoder writes each chunk's header from one small
 * buffer and then a slice of the payload, and the socket gathers them. Small or heap payloads are copied next
 * to their headers, which costs less than a slice each.
 *
 * <p>A Set Chunk Size message changes the chunk size for the messages after it. Format 3 is used for a new
 * message only after a format 1 or 2 header with the same delta, never right after format 0, because peers
 * disagree on what a format 3 header adds after format 0.
 */
public final class ChunkEncoder extends ChannelOutboundHandlerAdapter {

    /** Payloads up to this many bytes are copied beside their headers rather than sliced. */
    static final int COPY_THRESHOLD = 1024;

    private final IntObjectMap<ChunkStreamState> streams = new IntObjectHashMap<>();
    private int chunkSize;
    // The header of the message being written, set by nextHeader.
    private int format;
    private long timestampField;

    /** An encoder that starts at RTMP's default chunk size, 128. */
    public ChunkEncoder() {
        this(DEFAULT_CHUNK_SIZE);
    }

    /** An encoder that starts at {@code chunkSize}, as when a Set Chunk Size went out before. */
    public ChunkEncoder(int chunkSize) {
        this.chunkSize = chunkSize;
    }

    /** The chunk size this encoder writes with now. */
    public int chunkSize() {
        return chunkSize;
    }

    private static final class ChunkStreamState {
        int typeId;
        int messageStreamId;
        int length;
        int timestamp;
        /** The delta of the last format 1 or 2 header, or -1 when format 3 cannot repeat it. */
        long delta = -1;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof RawMessage message)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            ByteBuf payload = message.payload();
            if (payload.isDirect() && payload.readableBytes() > COPY_THRESHOLD) {
                writeSlices(ctx, message, promise);
            } else {
                ByteBuf out = ctx.alloc().ioBuffer(encodedSize(message));
                try {
                    encode(message, out);
                } catch (RuntimeException e) {
                    out.release();
                    throw e;
                }
                ctx.write(out, promise);
            }
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        } finally {
            message.release();
        }
    }

    /** The bytes {@code msg} takes as chunks at the current chunk size, at most. */
    public int encodedSize(RawMessage msg) {
        int length = msg.payload().readableBytes();
        int chunks = chunks(length);
        int basic = ChunkFormat.basicHeaderSize(msg.chunkStreamId());
        return basic + 11 + 4 + length + (chunks - 1) * (basic + 4);
    }

    private int chunks(int length) {
        return Math.max(1, (length + chunkSize - 1) / chunkSize);
    }

    /** Writes {@code msg} as chunks into {@code out}, copying its payload; the message is not released. */
    public void encode(RawMessage msg, ByteBuf out) {
        ByteBuf payload = msg.payload();
        int length = payload.readableBytes();
        boolean extended = nextHeader(msg, length);
        writeMessageHeader(out, msg, length, extended);
        int offset = payload.readerIndex();
        int end = offset + length;
        int first = Math.min(chunkSize, length);
        out.writeBytes(payload, offset, first);
        offset += first;
        while (offset < end) {
            writeContinuationHeader(out, msg.chunkStreamId(), extended);
            int part = Math.min(chunkSize, end - offset);
            out.writeBytes(payload, offset, part);
            offset += part;
        }
        afterMessage(msg, length);
    }

    /** Writes the headers into one small buffer and passes them on with slices of the payload between. */
    private void writeSlices(ChannelHandlerContext ctx, RawMessage msg, ChannelPromise promise) {
        ByteBuf payload = msg.payload();
        int length = payload.readableBytes();
        int chunks = chunks(length);
        boolean extended = nextHeader(msg, length);
        int continuation = ChunkFormat.basicHeaderSize(msg.chunkStreamId()) + (extended ? 4 : 0);
        ByteBuf headers = ctx.alloc().ioBuffer(encodedSize(msg) - length);
        try {
            writeMessageHeader(headers, msg, length, extended);
            int firstHeader = headers.writerIndex();
            for (int i = 1; i < chunks; i++) {
                writeContinuationHeader(headers, msg.chunkStreamId(), extended);
            }
            int offset = payload.readerIndex();
            int end = offset + length;
            int headerAt = 0;
            int headerLength = firstHeader;
            while (offset < end) {
                int part = Math.min(chunkSize, end - offset);
                ctx.write(headers.retainedSlice(headerAt, headerLength), ctx.voidPromise());
                ctx.write(payload.retainedSlice(offset, part), offset + part == end ? promise : ctx.voidPromise());
                headerAt += headerLength;
                headerLength = continuation;
                offset += part;
            }
        } finally {
            headers.release();
        }
        afterMessage(msg, length);
    }

    /** Picks the header format for {@code msg} and remembers it; returns whether the timestamp is extended. */
    private boolean nextHeader(RawMessage msg, int length) {
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("an RTMP message holds at most 16777215 bytes, got " + length);
        }
        int chunkStreamId = msg.chunkStreamId();
        ChunkStreamState state = streams.get(chunkStreamId);
        long delta = state == null ? -1
                : Integer.toUnsignedLong(msg.timestamp()) - Integer.toUnsignedLong(state.timestamp);
        if (state == null || state.messageStreamId != msg.messageStreamId() || delta < 0) {
            format = 0;
            timestampField = Integer.toUnsignedLong(msg.timestamp());
            if (state == null) {
                state = new ChunkStreamState();
                streams.put(chunkStreamId, state);
            }
            state.delta = -1;
        } else if (state.length != length || state.typeId != msg.typeId()) {
            format = 1;
            timestampField = delta;
            state.delta = delta;
        } else if (state.delta != delta) {
            format = 2;
            timestampField = delta;
            state.delta = delta;
        } else {
            format = 3;
            timestampField = delta;
        }
        state.typeId = msg.typeId();
        state.messageStreamId = msg.messageStreamId();
        state.length = length;
        state.timestamp = msg.timestamp();
        return timestampField >= EXTENDED_TIMESTAMP_MARK;
    }

    private void writeMessageHeader(ByteBuf out, RawMessage msg, int length, boolean extended) {
        writeBasicHeader(out, format, msg.chunkStreamId());
        if (MESSAGE_HEADER_SIZE[format] >= 3) {
            out.writeMedium(extended ? EXTENDED_TIMESTAMP_MARK : (int) timestampField);
        }
        if (MESSAGE_HEADER_SIZE[format] >= 7) {
            out.writeMedium(length);
            out.writeByte(msg.typeId());
        }
        if (MESSAGE_HEADER_SIZE[format] == 11) {
            out.writeIntLE(msg.messageStreamId());
        }
        if (extended) {
            out.writeInt((int) timestampField);
        }
    }

    private void writeContinuationHeader(ByteBuf out, int chunkStreamId, boolean extended) {
        writeBasicHeader(out, 3, chunkStreamId);
        if (extended) {
            out.writeInt((int) timestampField);
        }
    }

    private void afterMessage(RawMessage msg, int length) {
        if (msg.typeId() == SET_CHUNK_SIZE && length >= 4) {
            chunkSize = msg.payload().getInt(msg.payload().readerIndex()) & 0x7FFFFFFF;
        }
    }

    private static void writeBasicHeader(ByteBuf out, int format, int chunkStreamId) {
        if (chunkStreamId < 64) {
            out.writeByte(format << 6 | chunkStreamId);
        } else if (chunkStreamId < 320) {
            out.writeByte(format << 6);
            out.writeByte(chunkStreamId - 64);
        } else {
            out.writeByte(format << 6 | 1);
            out.writeShortLE(chunkStreamId - 64);
        }
    }
}
