package io.rendercast.rtmp.server.chunk;

import static io.rendercast.rtmp.server.chunk.ChunkFormat.DEFAULT_CHUNK_SIZE;
import static io.rendercast.rtmp.server.chunk.ChunkFormat.EXTENDED_TIMESTAMP_MARK;
import static io.rendercast.rtmp.server.chunk.ChunkFormat.MESSAGE_HEADER_SIZE;
import static io.rendercast.rtmp.server.chunk.ChunkFormat.SET_CHUNK_SIZE;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.collection.IntObjectMap;

/**
 * Cuts {@link RawMessage}s into chunks, with the smallest header each chunk stream's history allows.
 *
 * <p>A Set Chunk Size message changes the chunk size for the messages after it. Format 3 is used for a new
 * message only after a format 1 or 2 header with the same delta, never right after format 0, because peers
 * disagree on what a format 3 header adds after format 0.
 */
public final class ChunkEncoder extends MessageToByteEncoder<RawMessage> {

    private final IntObjectMap<ChunkStreamState> streams = new IntObjectHashMap<>();
    private int chunkSize = DEFAULT_CHUNK_SIZE;

    public ChunkEncoder() {
        super(RawMessage.class);
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
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, RawMessage msg, boolean preferDirect) {
        int length = msg.payload().readableBytes();
        int chunks = Math.max(1, (length + chunkSize - 1) / chunkSize);
        int basic = ChunkFormat.basicHeaderSize(msg.chunkStreamId());
        int size = basic + 11 + 4 + length + (chunks - 1) * (basic + 4);
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, RawMessage msg, ByteBuf out) {
        encode(msg, out);
    }

    /** Writes {@code msg} as chunks into {@code out}; the message is not released. */
    public void encode(RawMessage msg, ByteBuf out) {
        int chunkStreamId = msg.chunkStreamId();
        ByteBuf payload = msg.payload();
        int length = payload.readableBytes();
        if (length > 0xFFFFFF) {
            throw new IllegalArgumentException("an RTMP message holds at most 16777215 bytes, got " + length);
        }
        ChunkStreamState state = streams.get(chunkStreamId);
        int format;
        long timestampField;
        long delta = state == null ? -1 : Integer.toUnsignedLong(msg.timestamp()) - Integer.toUnsignedLong(state.timestamp);
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

        boolean extended = timestampField >= EXTENDED_TIMESTAMP_MARK;
        writeBasicHeader(out, format, chunkStreamId);
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
        int offset = payload.readerIndex();
        int end = offset + length;
        int first = Math.min(chunkSize, length);
        out.writeBytes(payload, offset, first);
        offset += first;
        while (offset < end) {
            writeBasicHeader(out, 3, chunkStreamId);
            if (extended) {
                out.writeInt((int) timestampField);
            }
            int part = Math.min(chunkSize, end - offset);
            out.writeBytes(payload, offset, part);
            offset += part;
        }
        if (msg.typeId() == SET_CHUNK_SIZE && length >= 4) {
            chunkSize = payload.getInt(payload.readerIndex()) & 0x7FFFFFFF;
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
