package io.rendercast.rtmp.server.viewer;

import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.protocol.message.UserControl;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The viewer page's JSON messages (docs/protocol.md), whatever carries them: a WebSocket's text messages, or a
 * WebRTC data channel's. Outgoing, a connection's RTMP command, data and stream event messages become JSON text;
 * incoming, the page's text becomes the commands an RTMP client's would.
 */
public final class ViewerMessages {

    private ViewerMessages() {
    }

    /**
     * The JSON text {@code msg} becomes for the page, or null for a message the page does not get as text (video,
     * pings, RTMP's own framing). {@code msg} is read, not released.
     */
    public static String text(RawMessage msg) {
        MessageType type = MessageType.of(msg.typeId());
        if (type == null) {
            return null;
        }
        return switch (type) {
            case COMMAND_AMF0 -> Json.write(command(Command.read(msg.payload().duplicate())));
            case DATA_AMF0 -> {
                List<Object> values = new Amf0Reader(msg.payload().duplicate()).readAll();
                yield values.isEmpty() || "|RtmpSampleAccess".equals(values.getFirst()) ? null
                        : Json.write(Map.of("type", "data", "name", values.getFirst(),
                                "values", values.subList(1, values.size())));
            }
            case USER_CONTROL -> {
                UserControl control = UserControl.read(msg.payload().duplicate());
                yield control.event() == UserControlEvent.STREAM_BEGIN || control.event() == UserControlEvent.STREAM_EOF
                        ? Json.write(Map.of("type", "event", "name",
                                control.event() == UserControlEvent.STREAM_BEGIN ? "streamBegin" : "streamEnd"))
                        : null;
            }
            default -> null;
        };
    }

    /**
     * The command the page's JSON text {@code text} stands for; null for its word that it drew a frame, which
     * carries no command.
     *
     * @throws IllegalArgumentException for text that is not one of the viewer's messages
     */
    public static ClientCommand read(String text) {
        return ViewerMessageDecoder.commandOrNull(text);
    }

    static Map<String, Object> command(Command command) {
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
}
