package io.rendercast.rtmp.server.viewer;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.rendercast.rtmp.AmfTypedObject;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON for the browser viewer's text messages, mapped to the same Java values AMF uses: objects to
 * {@code Map<String, Object>} in key order, arrays to {@code List<Object>}, numbers to {@link Double}, strings,
 * booleans and null. So a call from a page reaches a call handler exactly as the same call from an RTMP client.
 *
 * <p>Jackson's streaming parser reads the text (strict JSON, as {@code JSON.stringify} writes it) and its
 * generator writes it; this class only maps tokens to those values and back, and caps nesting as AMF does.
 * The size of a message is capped before it gets here, by the WebSocket's largest frame.
 */
final class Json {

    /** Deepest nesting a page may send, as for AMF. */
    static final int MAX_DEPTH = 32;

    /**
     * Strict JSON only (no comments, NaN, single quotes or trailing commas). Keys are not canonicalized: the
     * symbol table that would keep them is shared by every parser, and any page chooses its keys.
     */
    private static final JsonFactory FACTORY = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .disable(JsonFactory.Feature.INTERN_FIELD_NAMES)
            .build();

    private Json() {
    }

    /**
     * Writes a value as JSON: what AMF gives as numbers, strings, booleans, null, maps, lists and typed objects;
     * NaN and infinities as null (JSON has neither), whole numbers without a fraction, a date as ISO-8601 text,
     * a byte array as its length, anything else as its {@code toString()}.
     *
     * @throws IllegalArgumentException where the value is nested too deep to write (it contains itself)
     */
    static String write(Object value) {
        StringWriter out = new StringWriter();
        try (JsonGenerator generator = FACTORY.createGenerator(out)) {
            write(generator, value);
        } catch (IOException e) {
            throw new IllegalArgumentException("JSON: cannot write " + describe(value) + ": " + message(e), e);
        }
        return out.toString();
    }

    private static void write(JsonGenerator out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeNull();
            case Boolean b -> out.writeBoolean(b);
            case Number n -> {
                double d = n.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    out.writeNull();
                } else if (d == Math.rint(d) && Math.abs(d) < 1e15) {
                    out.writeNumber((long) d);
                } else {
                    out.writeNumber(d);
                }
            }
            case String s -> out.writeString(s);
            case Map<?, ?> map -> {
                out.writeStartObject();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    out.writeFieldName(String.valueOf(e.getKey()));
                    write(out, e.getValue());
                }
                out.writeEndObject();
            }
            case List<?> list -> {
                out.writeStartArray();
                for (Object item : list) {
                    write(out, item);
                }
                out.writeEndArray();
            }
            case AmfTypedObject typed -> write(out, typed.properties());
            case Instant instant -> out.writeString(instant.toString());
            case byte[] bytes -> out.writeNumber(bytes.length);
            default -> out.writeString(String.valueOf(value));
        }
    }

    /**
     * Parses one JSON value.
     *
     * @throws IllegalArgumentException naming what is wrong and where
     */
    static Object parse(String text) {
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw error(parser, "expected a value");
            }
            Object value = value(parser, first, 0);
            if (parser.nextToken() != null) {
                throw error(parser, "expected nothing after the value");
            }
            return value;
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation();
            throw new IllegalArgumentException("JSON: " + message(e)
                    + (where == null ? "" : " at character " + where.getCharOffset()), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("JSON: " + message(e), e); // not from a String; said for the compiler
        }
    }

    private static Object value(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw error(parser, "values nested deeper than " + MAX_DEPTH);
        }
        return switch (token) {
            case START_OBJECT -> {
                Map<String, Object> map = new LinkedHashMap<>();
                String key;
                while ((key = parser.nextFieldName()) != null) {
                    map.put(key, value(parser, next(parser), depth + 1));
                }
                yield map;
            }
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                JsonToken item;
                while ((item = next(parser)) != JsonToken.END_ARRAY) {
                    list.add(value(parser, item, depth + 1));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> parser.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw error(parser, "expected a value, got " + token);
        };
    }

    /** The next token inside an object or array, where the end of the text is an error. */
    private static JsonToken next(JsonParser parser) throws IOException {
        JsonToken token = parser.nextToken();
        if (token == null) {
            throw error(parser, "expected a value before the end of the text");
        }
        return token;
    }

    private static JsonProcessingException error(JsonParser parser, String what) {
        return new JsonParseException(parser, what);
    }

    /** Jackson's message without the location it appends (the caller says where, in characters). */
    private static String message(IOException e) {
        return e instanceof JsonProcessingException p ? p.getOriginalMessage() : e.getMessage();
    }

    private static String describe(Object value) {
        return value == null ? "null" : value.getClass().getSimpleName();
    }
}
