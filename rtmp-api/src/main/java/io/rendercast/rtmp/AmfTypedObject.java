package io.rendercast.rtmp;

import java.util.Map;

/**
 * An AMF object that carries a class name (an AMF0 typed object, or an AMF3 object whose traits name a class).
 * Every other AMF value maps to a plain Java type: see the {@linkplain io.rendercast.rtmp package documentation}
 * for the whole mapping, which differs between AMF0 and AMF3 (a number is a {@link Double} in AMF0, an AMF3
 * integer an {@link Integer}).
 *
 * @param className  the class name the object carries
 * @param properties its members, in the order they were sent
 */
public record AmfTypedObject(String className, Map<String, Object> properties) {
}
