package io.rendercast.rtmp.server;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.rendercast.rtmp.server.connection.ServerConnection;
import io.rendercast.rtmp.server.transport.ChannelTransport;

/** What Netty holds for a connection and has not yet written to its socket. */
final class PendingBytes {

    private PendingBytes() {
    }

    static long of(ServerConnection connection) {
        Channel channel = ((ChannelTransport) connection.viewer()).channel();
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }
}
