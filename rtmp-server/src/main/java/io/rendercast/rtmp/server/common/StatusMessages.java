package io.rendercast.rtmp.server.common;

import java.util.LinkedHashMap;
import java.util.Map;

/** The info objects of {@code _result}, {@code _error} and {@code onStatus} that players look for. */
public final class StatusMessages {

    public static final String LEVEL_STATUS = "status";
    public static final String LEVEL_ERROR = "error";
    /** No such stream, or the application refused it. */
    public static final String STREAM_NOT_FOUND = "NetStream.Play.StreamNotFound";
    /**
     * Set on a refusal because the server is full or drains, not because the request was wrong: the client may
     * try again, through a balancer to another node. Rendercast's own clients do; others ignore the field.
     */
    public static final String RETRY = "rendercastRetry";

    private StatusMessages() {
    }

    public static Map<String, Object> status(String level, String code, String description) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("level", level);
        info.put("code", code);
        info.put("description", description);
        return info;
    }

    /** The properties object of a successful connect's {@code _result}. */
    public static Map<String, Object> serverProperties() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("fmsVer", "FMS/3,5,7,7009");
        properties.put("capabilities", 31.0);
        properties.put("mode", 1.0);
        return properties;
    }

    /** @param objectEncoding 0 for AMF0, 3 for AMF3: what the client asked for in connect */
    public static Map<String, Object> connectSuccess(double objectEncoding) {
        Map<String, Object> info = status(LEVEL_STATUS, "NetConnection.Connect.Success", "Connection succeeded.");
        info.put("objectEncoding", objectEncoding);
        return info;
    }
}
