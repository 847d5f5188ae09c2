package io.rendercast.rtmp.server.common;

import io.rendercast.rtmp.PropertyResult;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The properties of a connection or a stream, as the Connection and Stream API define them: applications use keys that start with
 * {@code user_} (a null value removes one); reserved keys are set by their owner through {@link #putReserved}.
 */
public final class Properties {

    private static final String APPLICATION_PREFIX = "user_";

    private final Map<String, Object> values = new ConcurrentHashMap<>();

    /** Sets an application property; any other key is {@link PropertyResult#NO_SUCH_PROPERTY}. */
    public PropertyResult set(String key, Object value) {
        if (key == null || !key.startsWith(APPLICATION_PREFIX)) {
            return PropertyResult.NO_SUCH_PROPERTY;
        }
        if (value == null) {
            values.remove(key);
        } else {
            values.put(key, value);
        }
        return PropertyResult.OK;
    }

    /** Sets a reserved property whose value its owner has checked. */
    public void putReserved(String key, Object value) {
        values.put(key, value);
    }

    public Object get(String key) {
        return key == null ? null : values.get(key);
    }
}
