package io.rendercast.rtmp.server.connection;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.Acknowledgement;
import io.rendercast.rtmp.protocol.message.DataMessage;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.protocol.message.UserControl;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import io.rendercast.rtmp.protocol.message.WindowAcknowledgementSize;
import io.rendercast.rtmp.server.common.ClientEventLog;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The network-thread side of a session: reads each message, answers protocol control at once, takes the
 * client's answers to the server's calls, and hands every other command to the connection's own thread. Never
 * runs application code.
 */
public final class RtmpSessionHandler extends ChannelDuplexHandler {

    private static final System.Logger LOG = System.getLogger(RtmpSessionHandler.class.getName());

    private final ServerConnection connection;
    private long peerWindow;
    private long lastAcknowledged;
    private ScheduledFuture<?> pinger;

    public RtmpSessionHandler(ServerConnection connection) {
        this.connection = connection;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        long interval = connection.options().pingInterval().toMillis();
        pinger = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(
                UserControl.of(UserControlEvent.PING_REQUEST, connection.pings().sent()).toMessage(ctx.alloc())),
                interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        pinger.cancel(false);
    }

    /** Nothing at all came from the client for the ping timeout (see the {@code IdleStateHandler} before us). */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                    "{0}: no whole message for {1} ms, pings unanswered; closing",
                    connection, connection.options().pingTimeout().toMillis());
            ctx.close();
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            connection.counters().messageIn();
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
            case WINDOW_ACKNOWLEDGEMENT_SIZE -> peerWindow = WindowAcknowledgementSize.read(payload).size();
            // What the player received: the measure of its path that rate adaptation reads.
            case ACKNOWLEDGEMENT -> connection.counters().acknowledged(Acknowledgement.read(payload).sequenceNumber());
            case USER_CONTROL -> handleUserControl(ctx, UserControl.read(payload));
            case COMMAND_AMF0, COMMAND_AMF3 -> connection.receive(ClientCommand.decode(
                    Command.read(payload, type == MessageType.COMMAND_AMF3, connection.options().maxAmfDepth()),
                    message.messageStreamId()),
                    message.messageStreamId());
            case DATA_AMF0, DATA_AMF3 -> connection.receive(ClientCommand.decode(
                    DataMessage.read(payload, type == MessageType.DATA_AMF3, connection.options().maxAmfDepth())),
                    message.messageStreamId());
            // Bandwidth hints and anything a player uploads are not acted on by a server that only plays; they
            // are read and dropped.
            default -> LOG.log(System.Logger.Level.TRACE, "{0}: ignoring {1}", connection, type);
        }
    }

    private void handleUserControl(ChannelHandlerContext ctx, UserControl control) {
        if (control.event() == UserControlEvent.PING_REQUEST) {
            ctx.writeAndFlush(UserControl.of(UserControlEvent.PING_RESPONSE, control.value()).toMessage(ctx.alloc()));
        } else if (control.event() == UserControlEvent.PING_RESPONSE) {
            connection.pings().answered(control.value());
        }
    }

    private void acknowledgeIfDue(ChannelHandlerContext ctx) {
        long received = connection.counters().bytesIn();
        if (peerWindow > 0 && received - lastAcknowledged >= peerWindow) {
            lastAcknowledged = received;
            ctx.writeAndFlush(new Acknowledgement(received).toMessage(ctx.alloc()));
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof RawMessage) {
            connection.counters().messageOut();
        }
        ctx.write(msg, promise);
    }
}
