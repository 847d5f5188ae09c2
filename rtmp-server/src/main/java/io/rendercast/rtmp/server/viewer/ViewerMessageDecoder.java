package io.rendercast.rtmp.server.viewer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.server.connection.ServerConnection;
import io.rendercast.rtmp.server.transport.ByteCounter;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Reads the viewer page's WebSocket messages into the same commands an RTMP client's become:
 * {@code {"type":"call","procedure":P,"id":N,"args":[...]}} (id 0 or none: no answer wanted),
 * {@code {"type":"result"|"error","id":N,"value":V}} answering the server's calls, and
 * {@code {"type":"pause","paused":true|false}}; and {@code {"type":"drawn","timestamp":T,"waiting":N}}, the page's
 * word that it drew the frame stamped T and that N frames wait in its decoder (N optional), which the server takes as
 * a measure of how far the page is behind ({@link ByteCounter#waitingToShow}); and
 * {@code {"type":"received","bytes":N}}, its word that it received N bytes of video messages so far
 * ({@link PageAcknowledgements}). A pong carries the timestamp of the ping it answers.
 */
final class ViewerMessageDecoder extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** The one stream a viewer connection plays. */
    static final int STREAM_ID = io.rendercast.rtmp.server.connection.ViewerPlay.STREAM_ID;

    private final Consumer<ClientCommand> commands;
    private final IntConsumer pongs;
    private final Drawn drawn;
    private final LongConsumer received;

    /** Told of each frame the page says it drew. */
    @FunctionalInterface
    interface Drawn {
        /** The frame stamped {@code timestamp} was drawn, and {@code waiting} more wait (-1: the page did not say). */
        void drawn(int timestamp, int waiting);
    }

    /** For a player that sends commands only (WebSocket-FLV's): what else it says is not followed. */
    ViewerMessageDecoder(ServerConnection connection) {
        this(connection, null, null);
    }

    /**
     * @param traffic told how many frames wait in the page's decoder
     * @param acks    told what the page received
     */
    ViewerMessageDecoder(ServerConnection connection, ByteCounter traffic, PageAcknowledgements acks) {
        this(command -> connection.receive(command, STREAM_ID), timestamp -> connection.pings().answered(timestamp),
                (timestamp, waiting) -> {
                    if (traffic != null && waiting >= 0) {
                        traffic.waitingToShow(waiting);
                    }
                }, bytes -> {
                    if (acks != null) {
                        acks.received(bytes);
                    }
                });
    }

    /**
     * @param commands told each command the page sends
     * @param pongs    told the timestamp each pong carries
     * @param drawn    told of each frame the page says it drew
     * @param received told of each count of video bytes the page says it received
     */
    ViewerMessageDecoder(Consumer<ClientCommand> commands, IntConsumer pongs, Drawn drawn, LongConsumer received) {
        this.commands = commands;
        this.pongs = pongs;
        this.drawn = drawn;
        this.received = received;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        switch (frame) {
            case TextWebSocketFrame text -> read(text.text());
            case PongWebSocketFrame pong -> {
                if (pong.content().readableBytes() >= 4) {
                    pongs.accept(pong.content().getInt(pong.content().readerIndex()));
                }
            }
            case PingWebSocketFrame ping -> ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            // The closing handshake answered, as RFC 6455 asks: without it a browser reports 1006, "abnormal".
            case CloseWebSocketFrame close -> ctx.writeAndFlush(new CloseWebSocketFrame(close.statusCode() < 0
                    ? io.netty.handler.codec.http.websocketx.WebSocketCloseStatus.NORMAL_CLOSURE.code()
                    : close.statusCode(), "")).addListener(io.netty.channel.ChannelFutureListener.CLOSE);
            default -> throw new IllegalArgumentException("the viewer sends text messages only, got "
                    + frame.getClass().getSimpleName());
        }
    }

    private void read(String text) {
        Map<?, ?> message = object(text);
        if ("received".equals(message.get("type"))) {
            if (!(message.get("bytes") instanceof Number bytes) || bytes.doubleValue() < 0
                    || bytes.doubleValue() != Math.rint(bytes.doubleValue())) {
                throw new IllegalArgumentException("a received message counts whole bytes, got " + cut(text));
            }
            received.accept(bytes.longValue());
            return;
        }
        if ("drawn".equals(message.get("type"))) {
            if (!(message.get("timestamp") instanceof Number timestamp)) {
                throw new IllegalArgumentException("a drawn message names the frame's timestamp, got " + cut(text));
            }
            Object waiting = message.get("waiting");
            if (waiting != null && !(waiting instanceof Number)) {
                throw new IllegalArgumentException("a drawn message's waiting is a number of frames, got " + cut(text));
            }
            drawn.drawn((int) timestamp.longValue(), waiting == null ? -1
                    : (int) Math.max(0, Math.min(Integer.MAX_VALUE, ((Number) waiting).longValue())));
            return;
        }
        commands.accept(command(message, text));
    }

    private static Map<?, ?> object(String text) {
        if (!(Json.parse(text) instanceof Map<?, ?> message)) {
            throw new IllegalArgumentException("a viewer message is a JSON object, got " + cut(text));
        }
        return message;
    }

    private static String cut(String text) {
        return text.length() > 200 ? text.substring(0, 200) : text;
    }

    /** What a page's message means; a message that is not one of the viewer's is a protocol error. */
    static ClientCommand command(String text) {
        return command(object(text), text);
    }

    /** As {@link #command(String)}, but null for the page's words that it drew a frame or received bytes. */
    static ClientCommand commandOrNull(String text) {
        Map<?, ?> message = object(text);
        return "drawn".equals(message.get("type")) || "received".equals(message.get("type")) ? null
                : command(message, text);
    }

    private static ClientCommand command(Map<?, ?> message, String text) {
        Object type = message.get("type");
        double id = message.get("id") instanceof Number n ? n.doubleValue() : 0;
        if ("call".equals(type) && message.get("procedure") instanceof String procedure && !procedure.isEmpty()
                && !procedure.startsWith("_")) {
            List<Object> args = message.get("args") instanceof List<?> list ? nullsAllowed(list) : List.of();
            return new ClientCommand.Call(procedure, id, null, args);
        }
        if ("result".equals(type) || "error".equals(type)) {
            return new ClientCommand.CallAnswer(id, "result".equals(type), message.get("value"));
        }
        if ("pause".equals(type)) {
            return new ClientCommand.Pause(STREAM_ID, !Boolean.FALSE.equals(message.get("paused")));
        }
        throw new IllegalArgumentException("unknown viewer message: " + cut(text));
    }

    /** List.copyOf refuses nulls; JSON arrays may hold them. */
    private static List<Object> nullsAllowed(List<?> list) {
        return java.util.Collections.unmodifiableList(new java.util.ArrayList<>(list));
    }
}
