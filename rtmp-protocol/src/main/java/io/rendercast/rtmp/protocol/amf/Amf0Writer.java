package io.rendercast.rtmp.protocol.amf;

import static io.rendercast.rtmp.protocol.amf.Amf0Marker.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.rendercast.rtmp.AmfTypedObject;
import io.rendercast.rtmp.AmfXmlDocument;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Writes Java values as AMF0. */
public final class Amf0Writer {

    private Amf0Writer() {
    }

    /**
     * Writes one value: null, Boolean, any Number (as a double), String, Map (as an object), List (as a strict
     * array), Instant (as a date), {@link AmfTypedObject}, {@link AmfXmlDocument}.
     *
     * @throws AmfException for a value of any other type
     */
    public static void write(ByteBuf out, Object value) {
        switch (value) {
            case null -> out.writeByte(NULL);
            case Boolean b -> {
                out.writeByte(BOOLEAN);
                out.writeByte(b ? 1 : 0);
            }
            case Number n -> {
                out.writeByte(NUMBER);
                out.writeDouble(n.doubleValue());
            }
            case String s -> writeString(out, s);
            case Map<?, ?> map -> {
                out.writeByte(OBJECT);
                writeProperties(out, map);
            }
            case List<?> list -> {
                out.writeByte(STRICT_ARRAY);
                out.writeInt(list.size());
                for (Object item : list) {
                    write(out, item);
                }
            }
            case Instant instant -> {
                out.writeByte(DATE);
                out.writeDouble(instant.toEpochMilli());
                out.writeShort(0);
            }
            case AmfTypedObject typed -> {
                out.writeByte(TYPED_OBJECT);
                writeKey(out, typed.className());
                writeProperties(out, typed.properties());
            }
            case AmfXmlDocument xml -> {
                out.writeByte(XML_DOCUMENT);
                writeLongUtf8(out, xml.xml());
            }
            default -> throw new AmfException("AMF0 cannot carry a " + value.getClass().getName()
                    + "; use null, Boolean, Number, String, Map, List, Instant, AmfTypedObject or AmfXmlDocument");
        }
    }

    /** Writes a map as an ECMA array, the form players expect for {@code onMetaData}. */
    public static void writeEcmaArray(ByteBuf out, Map<String, ?> map) {
        out.writeByte(ECMA_ARRAY);
        out.writeInt(map.size());
        writeProperties(out, map);
    }

    private static void writeString(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        if (length <= 0xFFFF) {
            out.writeByte(STRING);
            out.writeShort(length);
        } else {
            out.writeByte(LONG_STRING);
            out.writeInt(length);
        }
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeLongUtf8(ByteBuf out, String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        out.writeInt(length);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    private static void writeProperties(ByteBuf out, Map<?, ?> map) {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || key.isEmpty()) {
                throw new AmfException("AMF0 object keys must be non-empty strings, got " + entry.getKey());
            }
            writeKey(out, key);
            write(out, entry.getValue());
        }
        out.writeShort(0);
        out.writeByte(OBJECT_END);
    }

    private static void writeKey(ByteBuf out, String key) {
        int length = ByteBufUtil.utf8Bytes(key);
        if (length > 0xFFFF) {
            throw new AmfException("AMF0 property names are at most 65535 bytes, got " + length);
        }
        out.writeShort(length);
        ByteBufUtil.reserveAndWriteUtf8(out, key, length);
    }
}
