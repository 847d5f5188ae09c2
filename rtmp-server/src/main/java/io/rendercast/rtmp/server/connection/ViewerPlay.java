package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.protocol.command.ClientCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an RTMP player sends to play, said for a viewer that sends no commands of its own (HTTP-FLV, the page's
 * WebSocket, WHEP): connect with the request's app and its query as the first argument, so that a token check in a
 * connect handler works the same for every transport; createStream; play.
 */
public final class ViewerPlay {

    /** The one stream such a viewer plays. */
    public static final int STREAM_ID = 1;

    private ViewerPlay() {
    }

    /**
     * @param transport how the viewer plays, in its {@code flashVer} ({@code "websocket"}, {@code "whep"})
     * @param codecs    the FourCCs the viewer decodes, as an Enhanced RTMP client lists them; null: the classic ones
     */
    public static void start(ServerConnection connection, String app, String stream, Map<String, Object> query,
                             String transport, List<String> codecs) {
        Map<String, Object> commandObject = new LinkedHashMap<>();
        commandObject.put("app", app);
        commandObject.put("tcUrl", "http://" + connection.peerAddress().getHostString() + "/" + app);
        commandObject.put("flashVer", "Rendercast viewer (" + transport + ")");
        commandObject.put("objectEncoding", 0.0);
        if (codecs != null) {
            commandObject.put("fourCcList", codecs);
        }
        connection.receive(new ClientCommand.Connect(1, commandObject, List.of(query)), 0);
        connection.receive(new ClientCommand.CreateStream(2), 0);
        connection.receive(new ClientCommand.Play(STREAM_ID, stream, List.of(stream)), STREAM_ID);
    }
}
