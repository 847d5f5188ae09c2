package io.rendercast.rtmp.server.connection;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.rendercast.rtmp.server.common.ClientEventLog;
import java.io.IOException;

/**
 * The last handler of every connection's pipeline: logs a protocol error once, with the peer, closes that one
 * connection, and ends the session when the socket is gone, however that came about.
 */
public final class ConnectionCloseHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(ConnectionCloseHandler.class.getName());

    private final ServerConnection connection;
    private boolean reported;

    public ConnectionCloseHandler(ServerConnection connection) {
        this.connection = connection;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        connection.channelClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!reported) {
            reported = true;
            Throwable reason = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
            if (reason instanceof IOException) {
                LOG.log(System.Logger.Level.DEBUG, "{0}: connection lost: {1}", connection, reason.getMessage());
            } else {
                ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                        "{0}: closing after a protocol error: {1}", connection,
                        reason.getMessage());
            }
        }
        ctx.close();
    }
}
