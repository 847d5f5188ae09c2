package io.rendercast.rtmp.server.viewer;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an HTTP request for a stream asks for: the transport, and the app, stream and query that stand for RTMP's
 * connect URL and play name. {@code /ws/live/demo?token=x} connects to app {@code live} and plays {@code demo}, as
 * {@code rtmp://host/live} with {@code play("demo")} would, and the query becomes connect's first argument, so a
 * token check in a connect handler works the same (the command object's {@code tcUrl} is the client's own
 * address and the app, without the query).
 */
record ViewerRequest(Kind kind, String app, String stream, Map<String, Object> query) {

    /** How the stream travels. */
    enum Kind {
        /** WebSocket: each frame a binary message, calls and answers as JSON text (the viewer page's own). */
        WEBSOCKET("/ws/"),
        /** WebSocket carrying an FLV stream, for players such as mpegts.js. */
        WEBSOCKET_FLV("/ws-flv/"),
        /** An HTTP response carrying an FLV stream ({@code /flv/live/demo}, or {@code /live/demo.flv}). */
        HTTP_FLV("/flv/");

        final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }
    }

    /** The request for a stream that {@code uri} makes, or null when it names none. */
    static ViewerRequest parse(String uri) {
        QueryStringDecoder decoder = new QueryStringDecoder(uri);
        String path = decoder.path();
        Kind kind = null;
        String rest = null;
        for (Kind k : Kind.values()) {
            if (path.startsWith(k.prefix)) {
                kind = k;
                rest = path.substring(k.prefix.length());
            }
        }
        if (kind == null && path.endsWith(".flv")) {
            kind = Kind.HTTP_FLV;
            rest = path.substring(1, path.length() - 4);
        }
        if (kind == null) {
            return null;
        }
        if (kind == Kind.HTTP_FLV && rest.endsWith(".flv")) {
            rest = rest.substring(0, rest.length() - 4);
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            return null;
        }
        Map<String, Object> query = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : decoder.parameters().entrySet()) {
            query.put(e.getKey(), e.getValue().getLast());
        }
        return new ViewerRequest(kind, rest.substring(0, slash), rest.substring(slash + 1), query);
    }
}
