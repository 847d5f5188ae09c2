package io.rendercast.rtmp;

import java.util.Map;

/**
 * An AMF object that carries a class name (AMF0 typed object). Other AMF values map to plain Java types:
 * null, {@link Boolean}, {@link Double}, {@link String}, {@code Map<String, Object>} in key order for objects
 * and ECMA arrays, {@code List<Object>} for strict arrays, {@link java.time.Instant} for dates.
 */
public record AmfTypedObject(String className, Map<String, Object> properties) {
}
