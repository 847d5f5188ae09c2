package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.protocol.message.UserControl;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
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
        if (type == MessageType.VIDEO) {
            out.add(new BinaryWebSocketFrame(Unpooled.wrappedUnmodifiableBuffer(
                    ctx.alloc().ioBuffer(4).writeInt(msg.timestamp()), msg.payload().retain())));
            return;
        }
        if (type == MessageType.USER_CONTROL) {
            UserControl control = UserControl.read(msg.payload().duplicate());
            if (control.event() == UserControlEvent.PING_REQUEST) {
                out.add(new PingWebSocketFrame(ctx.alloc().buffer(4).writeInt(control.value())));
                return;
            }
        }
        // Chunk size, windows and bandwidth concern RTMP's own framing, which a WebSocket has its own of: no text.
        String text = ViewerMessages.text(msg);
        if (text != null) {
            out.add(new TextWebSocketFrame(text));
        }
        if (type == MessageType.COMMAND_AMF0) {
            Command command = Command.read(msg.payload().duplicate());
            if (isConnectRefusal(command)) {
                // The connection closes after this: say why in the close frame too, as a browser shows it.
                out.add(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION,
                        fit(String.valueOf(((Map<?, ?>) command.argument(0)).get("description")))));
            }
        }
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
