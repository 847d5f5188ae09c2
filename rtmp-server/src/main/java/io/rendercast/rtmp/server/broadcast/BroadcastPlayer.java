package io.rendercast.rtmp.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.rendercast.rtmp.server.chunk.ChunkEncoder;
import io.rendercast.rtmp.server.chunk.RawMessage;
import io.rendercast.rtmp.server.chunk.SharedChunks;

/**
 * One player of a broadcast: where its frames go and how far it has kept up. Its fields belong to the
 * broadcast's fan-out, under its lock, except {@link #paused}.
 */
final class BroadcastPlayer {

    /** Who watches through this player: a player's stream on a connection, or a relay to an upstream server. */
    interface Owner {
        void countSent();

        void countDropped();

        /** The player stayed behind for too long; called once, under the fan-out's lock, so it must not block. */
        void closeBehind(BroadcastPlayer player, String why);

        /** The broadcast ended or its handlers stopped it; must not block. */
        void broadcastEnded(BroadcastPlayer player);
    }

    final Owner owner;
    private final Channel channel;
    private final int messageStreamId;
    /** The chunk size the connection writes with, or 0 for a browser's connection, which is not chunked. */
    private final int chunkSize;
    /**
     * Where chunked bytes enter the pipeline: below the chunk encoder, past the handlers above it that only pass
     * bytes on (the session, the encoder itself), a cost paid per player per frame. Null for a browser.
     */
    private final ChannelHandlerContext belowChunkEncoder;
    boolean headerSent;
    boolean waitingForKeyFrame;
    boolean closing;
    long behindSinceNanos;
    volatile boolean paused;

    /**
     * @param chunkSize the chunk size announced to the peer (not the one the connection's encoder has reached:
     *                  a Set Chunk Size still queued would make the two disagree), or 0 for a browser's
     *                  connection, which is not chunked
     */
    BroadcastPlayer(Owner owner, Channel channel, int messageStreamId, int chunkSize) {
        this.owner = owner;
        this.channel = channel;
        this.messageStreamId = messageStreamId;
        this.belowChunkEncoder = channel.pipeline().context(ChunkEncoder.class);
        this.chunkSize = belowChunkEncoder == null ? 0 : chunkSize;
    }

    int messageStreamId() {
        return messageStreamId;
    }

    Channel channel() {
        return channel;
    }

    /** Whether the socket takes more now: below Netty's high water mark. */
    boolean writable() {
        return channel.isWritable();
    }

    /** The chunk size this player reads, or 0 for a browser's connection, which is not chunked. */
    int chunkSize() {
        return chunkSize;
    }

    /** Writes the shared chunks; only a reference and a duplicate are this player's own. */
    void write(SharedChunks chunks) {
        if (chunkSize > 0) {
            writeChunked(chunks.chunksFor(channel.alloc(), chunkSize, messageStreamId), true);
        } else {
            channel.writeAndFlush(chunks.messageFor(messageStreamId), channel.voidPromise());
        }
    }

    /**
     * Writes bytes already chunked at this player's chunk size and stream, taking over one reference, and with
     * {@code flush} sends what was written so far. From any
     * thread: as a write through the whole pipeline does, it runs on the channel's event loop in the order asked.
     */
    void writeChunked(ByteBuf chunked, boolean flush) {
        if (flush) {
            belowChunkEncoder.writeAndFlush(chunked, channel.voidPromise());
        } else {
            belowChunkEncoder.write(chunked, channel.voidPromise());
        }
    }

    /** Writes a message of this player's own, such as its {@code onMetaData}. */
    void send(RawMessage message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }
}
