package io.rendercast.rtmp.server.session;

import io.netty.channel.Channel;
import io.rendercast.rtmp.server.chunk.ChunkEncoder;
import io.rendercast.rtmp.server.chunk.SharedChunks;

/**
 * One player of a broadcast: where its frames go and how far it has kept up. Its fields belong to the
 * broadcast's fan-out, under its lock, except {@link #paused}.
 */
final class BroadcastPlayer {

    final ServerStream stream;
    private final Channel channel;
    private final int messageStreamId;
    /** The chunk size the connection writes with, or 0 for a browser's connection, which is not chunked. */
    private final int chunkSize;
    boolean headerSent;
    boolean waitingForKeyFrame;
    boolean closing;
    long behindSinceNanos;
    volatile boolean paused;

    BroadcastPlayer(ServerStream stream, Channel channel) {
        this.stream = stream;
        this.channel = channel;
        this.messageStreamId = stream.id();
        ChunkEncoder encoder = channel.pipeline().get(ChunkEncoder.class);
        this.chunkSize = encoder == null ? 0 : encoder.chunkSize();
    }

    /** Whether the socket takes more now: below Netty's high water mark. */
    boolean writable() {
        return channel.isWritable();
    }

    /** Writes the shared chunks; only a reference and a duplicate are this player's own. */
    void write(SharedChunks chunks) {
        channel.writeAndFlush(chunkSize > 0 ? chunks.chunksFor(channel.alloc(), chunkSize, messageStreamId)
                : chunks.messageFor(messageStreamId), channel.voidPromise());
    }
}
