package io.rendercast.rtmp.protocol.amf;

import static io.rendercast.rtmp.protocol.amf.Amf3Marker.*;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.rendercast.rtmp.AmfTypedObject;
import io.rendercast.rtmp.AmfXmlDocument;
import java.time.Instant;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes Java values as AMF3 (the mapping of {@link Amf3Reader}), with string and object references. One writer
 * holds the tables of one AMF3 stream.
 */
public final class Amf3Writer {

    private final ByteBuf out;
    private final Map<String, Integer> strings = new HashMap<>();
    private final Map<Object, Integer> objects = new IdentityHashMap<>();

    public Amf3Writer(ByteBuf out) {
        this.out = out;
    }

    /**
     * Writes one value.
     *
     * @throws AmfException for a type AMF3 has no mapping for
     */
    public void write(Object value) {
        switch (value) {
            case null -> out.writeByte(NULL);
            case Boolean b -> out.writeByte(b ? TRUE : FALSE);
            case Integer i when i >= INTEGER_MIN && i <= INTEGER_MAX -> {
                out.writeByte(INTEGER);
                writeU29(i & 0x1FFFFFFF);
            }
            case Number n -> {
                out.writeByte(DOUBLE);
                out.writeDouble(n.doubleValue());
            }
            case String s -> {
                out.writeByte(STRING);
                writeString(s);
            }
            default -> writeObject(value);
        }
    }

    private void writeObject(Object value) {
        int marker = switch (value) {
            case Instant ignored -> DATE;
            case AmfXmlDocument ignored -> XML_DOCUMENT;
            case byte[] ignored -> BYTE_ARRAY;
            case int[] ignored -> VECTOR_INT;
            case double[] ignored -> VECTOR_DOUBLE;
            case List<?> ignored -> ARRAY;
            case Map<?, ?> ignored -> OBJECT;
            case AmfTypedObject ignored -> OBJECT;
            default -> throw new AmfException("AMF3 cannot carry a " + value.getClass().getName());
        };
        out.writeByte(marker);
        Integer reference = objects.get(value);
        if (reference != null) {
            writeU29(reference << 1);
            return;
        }
        objects.put(value, objects.size());
        switch (value) {
            case Instant instant -> {
                writeU29(1);
                out.writeDouble(instant.toEpochMilli());
            }
            case AmfXmlDocument xml -> writeInlineUtf8(xml.xml());
            case byte[] bytes -> {
                writeU29(bytes.length << 1 | 1);
                out.writeBytes(bytes);
            }
            case int[] ints -> {
                writeU29(ints.length << 1 | 1);
                out.writeByte(0);
                for (int i : ints) {
                    out.writeInt(i);
                }
            }
            case double[] doubles -> {
                writeU29(doubles.length << 1 | 1);
                out.writeByte(0);
                for (double d : doubles) {
                    out.writeDouble(d);
                }
            }
            case List<?> list -> {
                writeU29(list.size() << 1 | 1);
                writeString("");
                for (Object item : list) {
                    write(item);
                }
            }
            case Map<?, ?> map -> writeDynamicObject("", map);
            case AmfTypedObject typed -> writeDynamicObject(typed.className(), typed.properties());
            default -> throw new IllegalStateException("unreachable");
        }
    }

    /** An object whose members are all dynamic: inline traits, no sealed members. */
    private void writeDynamicObject(String className, Map<?, ?> members) {
        writeU29(0x0B);
        writeString(className);
        for (Map.Entry<?, ?> member : members.entrySet()) {
            if (!(member.getKey() instanceof String key) || key.isEmpty()) {
                throw new AmfException("AMF3 object member names must be non-empty strings, got " + member.getKey());
            }
            writeString(key);
            write(member.getValue());
        }
        writeString("");
    }

    private void writeString(String s) {
        if (s.isEmpty()) {
            writeU29(1);
            return;
        }
        Integer reference = strings.get(s);
        if (reference != null) {
            writeU29(reference << 1);
            return;
        }
        strings.put(s, strings.size());
        writeInlineUtf8(s);
    }

    private void writeInlineUtf8(String s) {
        int length = ByteBufUtil.utf8Bytes(s);
        writeU29(length << 1 | 1);
        ByteBufUtil.reserveAndWriteUtf8(out, s, length);
    }

    /** An unsigned 29-bit integer in one to four bytes. */
    void writeU29(int value) {
        if (value < 0 || value > 0x1FFFFFFF) {
            throw new AmfException("AMF3 U29 out of range: " + value);
        }
        if (value < 0x80) {
            out.writeByte(value);
        } else if (value < 0x4000) {
            out.writeByte(value >>> 7 | 0x80).writeByte(value & 0x7F);
        } else if (value < 0x200000) {
            out.writeByte(value >>> 14 | 0x80).writeByte(value >>> 7 | 0x80).writeByte(value & 0x7F);
        } else {
            out.writeByte(value >>> 22 | 0x80).writeByte(value >>> 15 | 0x80).writeByte(value >>> 8 | 0x80)
                    .writeByte(value & 0xFF);
        }
    }
}
