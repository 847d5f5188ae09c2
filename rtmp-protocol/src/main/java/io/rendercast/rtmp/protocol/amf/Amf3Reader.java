package io.rendercast.rtmp.protocol.amf;

import static io.rendercast.rtmp.protocol.amf.Amf3Marker.*;

import io.netty.buffer.ByteBuf;
import io.rendercast.rtmp.AmfTypedObject;
import io.rendercast.rtmp.AmfXmlDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Reads AMF3 values, with the string, object and traits reference tables of one AMF3 stream.
 *
 * <p>Java values: undefined and null are null; integers {@link Integer}; doubles {@link Double}; dates
 * {@link Instant}; XML {@link AmfXmlDocument}; byte arrays {@code byte[]}; anonymous objects and arrays with
 * named entries {@code Map<String, Object>} (dense entries keyed "0", "1", ... after the named ones); dense
 * arrays and object vectors {@code List<Object>}; int, uint and double vectors {@code int[]}, {@code long[]},
 * {@code double[]}; dictionaries {@code Map<Object, Object>}; typed objects {@link AmfTypedObject}.
 *
 * <p>Externalizable objects carry a class-specific body that only the class knows how to read: they are refused
 * with an {@link AmfException} unless a reader is registered for the class name. Flex's
 * {@code ArrayCollection} and {@code ObjectProxy} (one AMF3 value each) are registered by default.
 */
public final class Amf3Reader {

    /** Reads the body of an externalizable object of one class. */
    public interface ExternalizableReader extends Function<Amf3Reader, Object> {
    }

    /** The externalizable classes every reader knows. */
    public static final Map<String, ExternalizableReader> DEFAULT_EXTERNALIZABLES = Map.of(
            "flex.messaging.io.ArrayCollection", Amf3Reader::read,
            "flex.messaging.io.ObjectProxy", Amf3Reader::read);

    private record Traits(String className, boolean dynamic, boolean externalizable, List<String> sealedNames) {
    }

    private final ByteBuf in;
    private final Map<String, ExternalizableReader> externalizables;
    private final List<String> strings = new ArrayList<>();
    private final List<Object> objects = new ArrayList<>();
    private final List<Traits> traits = new ArrayList<>();
    /** Objects begun and not yet finished: a reference to one would make a value that contains itself. */
    private final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());
    private final int maxDepth;
    private int depth;

    public Amf3Reader(ByteBuf in) {
        this(in, DEFAULT_EXTERNALIZABLES);
    }

    public Amf3Reader(ByteBuf in, Map<String, ExternalizableReader> externalizables) {
        this(in, externalizables, Amf0Reader.DEFAULT_MAX_DEPTH);
    }

    /** A reader that refuses values nested deeper than {@code maxDepth}. */
    public Amf3Reader(ByteBuf in, Map<String, ExternalizableReader> externalizables, int maxDepth) {
        this.in = in;
        this.externalizables = externalizables;
        this.maxDepth = maxDepth;
    }

    /** Reads one value. */
    public Object read() {
        if (++depth > maxDepth) {
            throw new AmfException("AMF3 values nested deeper than " + maxDepth);
        }
        try {
            return readValue();
        } finally {
            depth--;
        }
    }

    private Object readValue() {
        need(1, "marker");
        int marker = in.readUnsignedByte();
        return switch (marker) {
            case UNDEFINED, NULL -> null;
            case FALSE -> false;
            case TRUE -> true;
            case INTEGER -> {
                int value = readU29();
                yield (value & 0x10000000) != 0 ? value | 0xE0000000 : value;
            }
            case DOUBLE -> {
                need(8, "double");
                yield in.readDouble();
            }
            case STRING -> readString();
            case XML_DOCUMENT, XML -> readReferencedOr(length -> new AmfXmlDocument(readUtf8(length)));
            case DATE -> readReferencedOr(ignored -> {
                need(8, "date");
                return Instant.ofEpochMilli((long) in.readDouble());
            });
            case ARRAY -> readArray();
            case OBJECT -> readObject();
            case BYTE_ARRAY -> readReferencedOr(length -> {
                need(length, "byte array");
                byte[] bytes = new byte[length];
                in.readBytes(bytes);
                return bytes;
            });
            case VECTOR_INT, VECTOR_UINT, VECTOR_DOUBLE, VECTOR_OBJECT -> readVector(marker);
            case DICTIONARY -> readDictionary();
            default -> throw new AmfException("unknown AMF3 marker 0x" + Integer.toHexString(marker));
        };
    }

    /** An unsigned 29-bit integer: three bytes of 7 bits with a continuation bit, then a byte of 8. */
    int readU29() {
        int value = 0;
        for (int i = 0; i < 3; i++) {
            need(1, "U29");
            int b = in.readUnsignedByte();
            if ((b & 0x80) == 0) {
                return value << 7 | b;
            }
            value = value << 7 | (b & 0x7F);
        }
        need(1, "U29");
        return value << 8 | in.readUnsignedByte();
    }

    private String readString() {
        int header = readU29();
        if ((header & 1) == 0) {
            return reference(strings, header >>> 1, "string");
        }
        int length = header >>> 1;
        if (length == 0) {
            return ""; // the empty string is never put in the table
        }
        String value = readUtf8(length);
        strings.add(value);
        return value;
    }

    private interface Body {
        Object read(int lengthOrCount);
    }

    /** A value that may be a reference into the object table; {@code body} reads it and it joins the table. */
    private Object readReferencedOr(Body body) {
        int header = readU29();
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        Object value = body.read(header >>> 1);
        objects.add(value);
        return value;
    }

    private Object readArray() {
        int header = readU29();
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        int dense = checkedCount(header >>> 1, "array");
        String key = readString();
        if (key.isEmpty()) {
            List<Object> list = new ArrayList<>(dense);
            objects.add(list);
            open.add(list);
            for (int i = 0; i < dense; i++) {
                list.add(read());
            }
            open.remove(list);
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        objects.add(map);
        open.add(map);
        while (!key.isEmpty()) {
            map.put(key, read());
            key = readString();
        }
        for (int i = 0; i < dense; i++) {
            map.put(Integer.toString(i), read());
        }
        open.remove(map);
        return map;
    }

    private Object readObject() {
        int header = readU29();
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        Traits type;
        if ((header & 2) == 0) {
            type = reference(traits, header >>> 2, "traits");
        } else if ((header & 4) != 0) {
            type = new Traits(readString(), false, true, List.of());
            traits.add(type);
        } else {
            int sealedCount = checkedCount(header >>> 4, "sealed member");
            String className = readString();
            List<String> names = new ArrayList<>(sealedCount);
            for (int i = 0; i < sealedCount; i++) {
                names.add(readString());
            }
            type = new Traits(className, (header & 8) != 0, false, names);
            traits.add(type);
        }
        if (type.externalizable()) {
            ExternalizableReader reader = externalizables.get(type.className());
            if (reader == null) {
                throw new AmfException("AMF3 externalizable object of class '" + type.className() + "': its body "
                        + "has a class-specific layout, and no reader is registered for that class");
            }
            int slot = objects.size();
            objects.add(null);
            Object value = reader.apply(this);
            objects.set(slot, value);
            open.remove(value);
            return value;
        }
        Map<String, Object> members = new LinkedHashMap<>();
        Object value = type.className().isEmpty() ? members : new AmfTypedObject(type.className(), members);
        objects.add(value);
        open.add(value);
        for (String name : type.sealedNames()) {
            members.put(name, read());
        }
        if (type.dynamic()) {
            for (String name = readString(); !name.isEmpty(); name = readString()) {
                members.put(name, read());
            }
        }
        open.remove(value);
        return value;
    }

    private Object readVector(int marker) {
        int header = readU29();
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        int count = checkedCount(header >>> 1, "vector");
        need(1, "vector fixed flag");
        in.skipBytes(1); // fixed-length or not: nothing a Java array or list needs
        Object vector;
        switch (marker) {
            case VECTOR_INT -> {
                need(4L * count, "int vector");
                int[] values = new int[count];
                for (int i = 0; i < count; i++) {
                    values[i] = in.readInt();
                }
                vector = values;
            }
            case VECTOR_UINT -> {
                need(4L * count, "uint vector");
                long[] values = new long[count];
                for (int i = 0; i < count; i++) {
                    values[i] = in.readUnsignedInt();
                }
                vector = values;
            }
            case VECTOR_DOUBLE -> {
                need(8L * count, "double vector");
                double[] values = new double[count];
                for (int i = 0; i < count; i++) {
                    values[i] = in.readDouble();
                }
                vector = values;
            }
            default -> {
                readString(); // the element type name, such as "String" or a class name
                List<Object> values = new ArrayList<>(count);
                objects.add(values);
                open.add(values);
                for (int i = 0; i < count; i++) {
                    values.add(read());
                }
                open.remove(values);
                return values;
            }
        }
        objects.add(vector);
        return vector;
    }

    private Object readDictionary() {
        int header = readU29();
        if ((header & 1) == 0) {
            return objectReference(header >>> 1);
        }
        int count = checkedCount(header >>> 1, "dictionary");
        need(1, "dictionary weak-keys flag");
        in.skipBytes(1);
        Map<Object, Object> dictionary = new LinkedHashMap<>();
        objects.add(dictionary);
        open.add(dictionary);
        for (int i = 0; i < count; i++) {
            Object key = read();
            if (!(key == null || key instanceof String || key instanceof Number || key instanceof Boolean
                    || key instanceof Instant)) {
                // A container as a key is hashed by its contents, and one that refers to itself (references
                // allow it) never stops hashing: such keys are refused, found by fuzzing.
                throw new AmfException("AMF3 dictionary keys must be simple values (strings, numbers, booleans, "
                        + "dates); got " + key.getClass().getSimpleName());
            }
            dictionary.put(key, read());
        }
        open.remove(dictionary);
        return dictionary;
    }

    private Object objectReference(int index) {
        Object object = reference(objects, index, "object");
        if (object != null && open.contains(object)) {
            throw new AmfException("AMF3 object reference " + index + " points to an object still being read: "
                    + "values that contain themselves are refused");
        }
        return object;
    }

    private <T> T reference(List<T> table, int index, String what) {
        if (index >= table.size()) {
            throw new AmfException("AMF3 " + what + " reference " + index + " points past the " + table.size()
                    + " entries read so far");
        }
        return table.get(index);
    }

    /** A count of values each at least one byte long: more than the bytes left is a lie. */
    private int checkedCount(int count, String what) {
        if (count > in.readableBytes()) {
            throw new AmfException("AMF3 " + what + " of " + count + " entries in " + in.readableBytes() + " bytes");
        }
        return count;
    }

    private String readUtf8(int length) {
        return AmfBytes.readUtf8(in, length, "AMF3");
    }

    private void need(long bytes, String what) {
        AmfBytes.need(in, bytes, "AMF3", what);
    }
}
