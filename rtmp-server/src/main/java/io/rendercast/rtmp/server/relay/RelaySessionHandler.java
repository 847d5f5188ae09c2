package io.rendercast.rtmp.server.relay;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.ChunkStreams;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.protocol.message.SetChunkSize;
import io.rendercast.rtmp.protocol.message.UserControl;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import io.rendercast.rtmp.server.common.ClientEventLog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A relay's publishing session, the client's side of what a server's session answers: connect, releaseStream,
 * FCPublish and createStream, as ffmpeg and OBS send them, then publish on the stream the server created. On
 * {@code NetStream.Publish.Start} the relay starts sending frames; an error closes the connection (the relay
 * connects again). Answers the upstream's pings, as nginx-rtmp closes a client that does not.
 */
final class RelaySessionHandler extends ChannelInboundHandlerAdapter {

    private static final System.Logger LOG = System.getLogger(RelaySessionHandler.class.getName());
    private static final double CONNECT = 1;
    private static final double CREATE_STREAM = 4;
    private static final double PUBLISH = 5;

    private final BroadcastRelay relay;
    private final String tcUrl;
    private final String app;
    private final String streamName;
    private int messageStreamId;

    RelaySessionHandler(BroadcastRelay relay, String tcUrl, String app, String streamName) {
        this.relay = relay;
        this.tcUrl = tcUrl;
        this.app = app;
        this.streamName = streamName;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        ctx.write(new SetChunkSize(BroadcastRelay.CHUNK_SIZE).toMessage(ctx.alloc()));
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", app);
        connect.put("type", "nonprivate");
        connect.put("flashVer", "FMLE/3.0 (compatible; Rendercast)");
        connect.put("tcUrl", tcUrl);
        send(ctx, 0, new Command("connect", CONNECT, connect, List.of()));
        send(ctx, 0, new Command("releaseStream", 2, null, List.of(streamName)));
        send(ctx, 0, new Command("FCPublish", 3, null, List.of(streamName)));
        send(ctx, 0, new Command("createStream", CREATE_STREAM, null, List.of()));
        ctx.flush();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof RawMessage message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            MessageType type = MessageType.of(message.typeId());
            if (type == MessageType.USER_CONTROL) {
                UserControl control = UserControl.read(message.payload());
                if (control.event() == UserControlEvent.PING_REQUEST) {
                    ctx.writeAndFlush(UserControl.of(UserControlEvent.PING_RESPONSE, control.value())
                            .toMessage(ctx.alloc()));
                }
            } else if (type == MessageType.COMMAND_AMF0 || type == MessageType.COMMAND_AMF3) {
                answer(ctx, Command.read(message.payload(), type == MessageType.COMMAND_AMF3));
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void answer(ChannelHandlerContext ctx, Command command) {
        if (command.name().equals("_result") && command.transactionId() == CREATE_STREAM
                && command.argument(0) instanceof Number id) {
            messageStreamId = id.intValue();
            send(ctx, messageStreamId, new Command("publish", PUBLISH, null, List.of(streamName, "live")));
            ctx.flush();
        } else if (command.name().equals("_error")) {
            refused(ctx, "the upstream answered " + command.name() + " " + command.arguments());
        } else if (command.name().equals("onStatus") && command.argument(0) instanceof Map<?, ?> status) {
            Object code = status.get("code");
            if ("NetStream.Publish.Start".equals(code)) {
                Channel channel = ctx.channel();
                int id = messageStreamId;
                // Joining may wait for the broadcast's playback to stop or start: not on the event loop.
                Thread.startVirtualThread(() -> relay.publishing(channel, id));
            } else if ("error".equals(status.get("level"))) {
                refused(ctx, "the upstream said " + code + ": " + status.get("description"));
            }
        }
    }

    private void refused(ChannelHandlerContext ctx, String why) {
        ClientEventLog.log(LOG, System.Logger.Level.WARNING, "{0}: {1}", relay, why);
        ctx.close();
    }

    private static void send(ChannelHandlerContext ctx, int messageStreamId, Command command) {
        int chunkStream = messageStreamId == 0 ? ChunkStreams.COMMAND : ChunkStreams.STREAM_COMMAND;
        ctx.write(command.toMessage(ctx.alloc(), chunkStream, messageStreamId));
    }

    /** Tells the upstream the stream ends, as ffmpeg does when it stops publishing, and closes. */
    static void unpublish(Channel channel, String streamName) {
        RelaySessionHandler session = channel.pipeline().get(RelaySessionHandler.class);
        if (session == null || session.messageStreamId == 0) {
            channel.close();
            return;
        }
        channel.write(new Command("FCUnpublish", 6, null, List.of(streamName))
                .toMessage(channel.alloc(), ChunkStreams.COMMAND, 0));
        channel.writeAndFlush(new Command("deleteStream", 7, null, List.of((double) session.messageStreamId))
                .toMessage(channel.alloc(), ChunkStreams.COMMAND, 0)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ClientEventLog.log(LOG, System.Logger.Level.WARNING, "{0}: closing: {1}", relay, cause.toString());
        ctx.close();
    }
}
