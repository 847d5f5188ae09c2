package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.protocol.message.UserControl;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a connection's outgoing RTMP messages into the viewer page's WebSocket messages, so that the session
 * above is the very one RTMP clients get.
 *
 * <ul>
 *   <li>Video: one binary message per frame: its timestamp (4 bytes, big-endian, milliseconds), then the FLV
 *       video tag body as RTMP carries it (for H.264, the AVC sequence header with the decoder configuration
 *       record, or a frame of length-prefixed NAL units), which is what WebCodecs' {@code VideoDecoder} takes.
 *       The payload is not copied.</li>
 *   <li>Commands as JSON text: {@code {"type":"result"|"error","id":N,"value":V}} for answers,
 *       {@code {"type":"status",...}} for {@code onStatus}, {@code {"type":"call","procedure":P,"id":N,
 *       "args":[...]}} for the server's calls, {@code {"type":"data","name":N,"values":[...]}} for data such as
 *       {@code onMetaData}, {@code {"type":"event","name":"streamBegin"|"streamEnd"}} for stream events.</li>
 *   <li>Pings become WebSocket pings carrying their timestamp; the browser's pong echoes it.</li>
 * </ul>
 */
final class ViewerMessageEncoder extends RtmpMessageTranslator {

    @Override
    void translate(ChannelHandlerContext ctx, RawMessage msg, List<Object> out) {
        MessageType type = MessageType.of(msg.typeId());
        ByteBuf payload = msg.payload();
        if (type == null) {
            return;
        }
        switch (type) {
            case VIDEO -> {
                out.add(new BinaryWebSocketFrame(Unpooled.wrappedUnmodifiableBuffer(
                        ctx.alloc().ioBuffer(4).writeInt(msg.timestamp()), payload.retain())));
            }
            case COMMAND_AMF0 -> {
                Command command = Command.read(payload.duplicate());
                out.add(new TextWebSocketFrame(Json.write(command(command))));
                if (isConnectRefusal(command)) {
                    // The connection closes after this: say why in the close frame too, as a browser shows it.
                    out.add(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION,
                            fit(String.valueOf(((Map<?, ?>) command.argument(0)).get("description")))));
                }
            }
            case DATA_AMF0 -> {
                List<Object> values = new Amf0Reader(payload.duplicate()).readAll();
                if (!values.isEmpty() && !"|RtmpSampleAccess".equals(values.getFirst())) {
                    out.add(new TextWebSocketFrame(Json.write(Map.of("type", "data", "name", values.getFirst(),
                            "values", values.subList(1, values.size())))));
                }
            }
            case USER_CONTROL -> {
                UserControl control = UserControl.read(payload.duplicate());
                if (control.event() == UserControlEvent.PING_REQUEST) {
                    out.add(new PingWebSocketFrame(ctx.alloc().buffer(4).writeInt(control.value())));
                } else if (control.event() == UserControlEvent.STREAM_BEGIN || control.event() == UserControlEvent.STREAM_EOF) {
                    out.add(new TextWebSocketFrame(Json.write(Map.of("type", "event", "name",
                            control.event() == UserControlEvent.STREAM_BEGIN ? "streamBegin" : "streamEnd"))));
                }
            }
            default -> {
                // Chunk size, windows and bandwidth concern RTMP's own framing: a WebSocket has its own.
            }
        }
    }

    private static Map<String, Object> command(Command command) {
        Map<String, Object> json = new LinkedHashMap<>();
        switch (command.name()) {
            case "_result", "_error" -> {
                json.put("type", command.name().equals("_result") ? "result" : "error");
                json.put("id", command.transactionId());
                json.put("value", command.argument(0));
            }
            case "onStatus" -> {
                json.put("type", "status");
                if (command.argument(0) instanceof Map<?, ?> info) {
                    info.forEach((k, v) -> json.put(String.valueOf(k), v));
                }
            }
            default -> {
                json.put("type", "call");
                json.put("procedure", command.name());
                json.put("id", command.transactionId());
                json.put("args", command.arguments());
            }
        }
        return json;
    }

    /** The {@code _error} that answers connect (transaction 1, which the viewer's connect always is). */
    static boolean isConnectRefusal(Command command) {
        return command.name().equals("_error") && command.transactionId() == 1
                && command.argument(0) instanceof Map<?, ?> info
                && "NetConnection.Connect.Rejected".equals(info.get("code"));
    }

    /** A close reason within WebSocket's 123 bytes. */
    static String fit(String reason) {
        // A close frame's reason is at most 123 bytes of UTF-8, not characters: cut by bytes, at a character.
        if (reason.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 123) {
            return reason;
        }
        StringBuilder cut = new StringBuilder();
        int bytes = 3; // the "..." that ends it
        for (int i = 0; i < reason.length(); ) {
            int codePoint = reason.codePointAt(i);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            if (bytes + size > 123) {
                break;
            }
            cut.appendCodePoint(codePoint);
            bytes += size;
            i += Character.charCount(codePoint);
        }
        return cut + "...";
    }
}
