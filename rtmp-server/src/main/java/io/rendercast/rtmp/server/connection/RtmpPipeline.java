package io.rendercast.rtmp.server.connection;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.chunk.ChunkDecoder;
import io.rendercast.rtmp.protocol.chunk.ChunkEncoder;
import io.rendercast.rtmp.protocol.chunk.UnfinishedBytes;
import io.rendercast.rtmp.protocol.handshake.ServerHandshakeHandler;
import io.rendercast.rtmp.server.transport.ChannelTransport;
import java.util.concurrent.TimeUnit;
import io.rendercast.rtmp.server.transport.ByteCounter;

/**
 * An RTMP connection's pipeline: the traffic counter, TLS for RTMPS, the handshake, and once it is done the chunk
 * codec and the session.
 */
public final class RtmpPipeline {

    private final RtmpServerOptions options;
    private final Connections connections;
    private final UnfinishedBytes unfinishedBytes;

    /** @param unfinishedBytes what every connection's chunk decoder may hold in unfinished messages, together */
    public RtmpPipeline(RtmpServerOptions options, Connections connections, UnfinishedBytes unfinishedBytes) {
        this.options = options;
        this.connections = connections;
        this.unfinishedBytes = unfinishedBytes;
    }

    /** Sets up an accepted channel; with {@code tls}, inside TLS (RTMPS). */
    public void init(Channel channel, SslContext tls) {
        channel.pipeline().addLast("traffic", new ByteCounter());
        if (tls != null) {
            channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
        }
        ServerConnection connection = open(channel);
        if (connection == null) {
            return;
        }
        channel.pipeline()
                .addLast("handshake", new ServerHandshakeHandler(options.handshakeTimeout(),
                        (ctx, scheme) -> handshakeDone(ctx, connection, scheme)))
                .addLast("close", new ConnectionCloseHandler(connection));
    }

    /**
     * A connection on {@code channel}, whose pipeline starts with a traffic counter; or null, the channel closed,
     * when the server is full and refusing more already. The HTTP port's viewers open theirs here too.
     */
    public ServerConnection open(Channel channel) {
        ByteCounter traffic = (ByteCounter) channel.pipeline().get("traffic");
        return connections.open(new ChannelTransport(channel, options.chunkSize(), options.windowAckSize(), traffic), traffic);
    }

    private void handshakeDone(ChannelHandlerContext handshake, ServerConnection connection, int digestScheme) {
        long silence = options.pingTimeout().toMillis();
        handshake.pipeline()
                .addAfter(handshake.name(), "chunk-decoder", new ChunkDecoder(options.maxMessageBytes(),
                        options.maxChunkStreams(), options.maxClientChunkSize(), options.maxUnfinishedBytes(),
                        unfinishedBytes))
                // After the decoder, so that only whole messages count as heard: a client that dribbles a byte
                // at a time, finishing nothing, is as silent as one that sends nothing.
                .addAfter("chunk-decoder", "silence", new IdleStateHandler(silence, 0, 0, TimeUnit.MILLISECONDS))
                .addAfter("silence", "chunk-encoder", new ChunkEncoder())
                .addAfter("chunk-encoder", "session", new RtmpSessionHandler(connection));
        connection.handshakeDone(digestScheme);
    }
}
