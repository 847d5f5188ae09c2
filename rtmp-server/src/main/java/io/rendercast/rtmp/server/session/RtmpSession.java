package io.rendercast.rtmp.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.rendercast.rtmp.server.chunk.RawMessage;
import io.rendercast.rtmp.server.message.Command;
import io.rendercast.rtmp.server.message.ControlMessages;
import io.rendercast.rtmp.server.message.MessageType;
import io.rendercast.rtmp.server.message.UserControlEvent;
import java.io.IOException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The network-thread side of a session: reads each message, answers protocol control at once, and hands
 * commands to the connection's own thread. Never runs application code.
 */
public final class RtmpSession extends ChannelDuplexHandler {

    private static final System.Logger LOG = System.getLogger(RtmpSession.class.getName());

    private final ServerConnection connection;
    private long peerWindow;
    private long lastHeardNanos;
    private long lastAcknowledged;
    private ScheduledFuture<?> pinger;

    public RtmpSession(ServerConnection connection) {
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long interval = connection.options().pingInterval().toMillis();
        lastHeardNanos = System.nanoTime();
        pinger = ctx.executor().scheduleAtFixedRate(() -> ping(ctx), interval, interval, TimeUnit.MILLISECONDS);
    }

    /** Pings the client, or closes it when nothing came from it for the ping timeout. */
    private void ping(ChannelHandlerContext ctx) {
        long silentNanos = System.nanoTime() - lastHeardNanos;
        if (silentNanos > connection.options().pingTimeout().toNanos()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: nothing received for {1} ms, pings unanswered; closing",
                    connection, TimeUnit.NANOSECONDS.toMillis(silentNanos));
            ctx.close();
            return;
        }
        ctx.writeAndFlush(ControlMessages.userControl(ctx.alloc(), UserControlEvent.PING_REQUEST,
                connection.pingSent()));
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        pinger.cancel(false);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            lastHeardNanos = System.nanoTime();
            connection.countMessageIn();
            handle(ctx, message);
            acknowledgeIfDue(ctx);
        } finally {
            ReferenceCountUtil.release(message);
        }
    }

    private void handle(ChannelHandlerContext ctx, RawMessage message) {
        MessageType type = MessageType.of(message.typeId());
        ByteBuf payload = message.payload();
        if (type == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: ignoring message of unknown type {1}", connection,
                    message.typeId());
            return;
        }
        switch (type) {
            case WINDOW_ACKNOWLEDGEMENT_SIZE -> peerWindow = requireInt(payload, type) & 0xFFFFFFFFL;
            case USER_CONTROL -> handleUserControl(ctx, payload);
            case COMMAND_AMF0 -> connection.submitCommand(Command.read(payload), message.messageStreamId());
            case COMMAND_AMF3 -> {
                // An AMF3 command message starts with one format byte (0) and then AMF0 values.
                if (payload.isReadable()) {
                    payload.skipBytes(1);
                }
                connection.submitCommand(Command.read(payload), message.messageStreamId());
            }
            // Acknowledgements, bandwidth hints and anything a player uploads are not acted on by a server that
            // only plays; they are read and dropped.
            default -> LOG.log(System.Logger.Level.TRACE, "{0}: ignoring {1}", connection, type);
        }
    }

    private void handleUserControl(ChannelHandlerContext ctx, ByteBuf payload) {
        if (payload.readableBytes() < 2) {
            throw new DecoderException("User Control message of " + payload.readableBytes()
                    + " bytes; expected at least 2");
        }
        UserControlEvent event = UserControlEvent.of(payload.readUnsignedShort());
        if (event == UserControlEvent.PING_REQUEST) {
            ctx.writeAndFlush(ControlMessages.userControl(ctx.alloc(), UserControlEvent.PING_RESPONSE,
                    requireInt(payload, MessageType.USER_CONTROL)));
        } else if (event == UserControlEvent.PING_RESPONSE) {
            connection.pingAnswered(requireInt(payload, MessageType.USER_CONTROL));
        }
    }

    private void acknowledgeIfDue(ChannelHandlerContext ctx) {
        long received = connection.bytesIn();
        if (peerWindow > 0 && received - lastAcknowledged >= peerWindow) {
            lastAcknowledged = received;
            ctx.writeAndFlush(ControlMessages.acknowledgement(ctx.alloc(), received));
        }
    }

    private static int requireInt(ByteBuf payload, MessageType type) {
        if (payload.readableBytes() < 4) {
            throw new DecoderException(type + " message needs 4 more bytes, has " + payload.readableBytes());
        }
        return payload.readInt();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof RawMessage) {
            connection.countMessageOut();
        }
        ctx.write(msg, promise);
    }

    /**
     * The last handler of every connection's pipeline: logs a protocol error once, with the peer, and closes
     * that one connection.
     */
    public static final class ErrorHandler extends ChannelInboundHandlerAdapter {

        private final ServerConnection connection;
        private boolean reported;

        public ErrorHandler(ServerConnection connection) {
            this.connection = connection;
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            // Before the handshake finishes there is no session to tell.
            connection.channelClosed();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!reported) {
                reported = true;
                Throwable reason = cause instanceof DecoderException && cause.getCause() != null
                        ? cause.getCause() : cause;
                if (reason instanceof IOException) {
                    LOG.log(System.Logger.Level.DEBUG, "{0}: connection lost: {1}", connection, reason.getMessage());
                } else {
                    LOG.log(System.Logger.Level.WARNING, "{0}: closing after a protocol error: {1}", connection,
                            reason.getMessage());
                }
            }
            ctx.close();
        }
    }
}
