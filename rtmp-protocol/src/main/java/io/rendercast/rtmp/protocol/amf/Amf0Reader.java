package io.rendercast.rtmp.protocol.amf;

import static io.rendercast.rtmp.protocol.amf.Amf0Marker.*;

import io.netty.buffer.ByteBuf;
import io.rendercast.rtmp.AmfTypedObject;
import io.rendercast.rtmp.AmfXmlDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads AMF0 values from a buffer.
 *
 * <p>Every length is checked against the bytes that are really there before anything is allocated, and nesting
 * is capped, so hostile input costs at most its own size and fails with an {@link AmfException}. One reader
 * keeps the reference table of one AMF0 message: use a new reader per message.
 */
public final class Amf0Reader {

    /** Deepest nesting of objects and arrays accepted unless a reader is told otherwise. */
    public static final int DEFAULT_MAX_DEPTH = 32;

    private final ByteBuf in;
    private final int maxDepth;
    private final List<Object> references = new ArrayList<>();
    /** Which references are whole: one to an object still being read would make a value that contains itself. */
    private final java.util.BitSet finished = new java.util.BitSet();

    public Amf0Reader(ByteBuf in) {
        this(in, DEFAULT_MAX_DEPTH);
    }

    /** A reader that refuses objects and arrays nested deeper than {@code maxDepth}. */
    public Amf0Reader(ByteBuf in, int maxDepth) {
        this.in = in;
        this.maxDepth = maxDepth;
    }

    /** Whether another value follows. */
    public boolean hasMore() {
        return in.isReadable();
    }

    /** Reads every value left in the buffer. */
    public List<Object> readAll() {
        List<Object> values = new ArrayList<>();
        while (in.isReadable()) {
            values.add(read());
        }
        return values;
    }

    /** Reads one value. */
    public Object read() {
        return read(0);
    }

    private Object read(int depth) {
        if (depth > maxDepth) {
            throw new AmfException("AMF0 values nested deeper than " + maxDepth);
        }
        int marker = readByte();
        return switch (marker) {
            case NUMBER -> {
                need(8, "number");
                yield in.readDouble();
            }
            case BOOLEAN -> readByte() != 0;
            case STRING -> readUtf8(readUnsignedShort());
            case OBJECT -> {
                Map<String, Object> object = new LinkedHashMap<>();
                int at = references.size();
                references.add(object);
                readProperties(object, depth);
                finished.set(at);
                yield object;
            }
            case NULL, UNDEFINED, UNSUPPORTED -> null;
            case REFERENCE -> {
                int index = readUnsignedShort();
                if (index >= references.size()) {
                    throw new AmfException("AMF0 reference " + index + " points past the " + references.size()
                            + " objects read so far");
                }
                if (!finished.get(index)) {
                    throw new AmfException("AMF0 reference " + index + " points to an object still being read: "
                            + "values that contain themselves are refused");
                }
                yield references.get(index);
            }
            case ECMA_ARRAY -> {
                need(4, "ECMA array count");
                in.skipBytes(4); // the count is only a hint; the end marker ends the array
                Map<String, Object> array = new LinkedHashMap<>();
                int at = references.size();
                references.add(array);
                readProperties(array, depth);
                finished.set(at);
                yield array;
            }
            case STRICT_ARRAY -> {
                need(4, "strict array count");
                long count = in.readUnsignedInt();
                if (count > in.readableBytes()) {
                    throw new AmfException("AMF0 strict array of " + count + " values in " + in.readableBytes()
                            + " bytes");
                }
                List<Object> array = new ArrayList<>((int) count);
                int at = references.size();
                references.add(array);
                for (long i = 0; i < count; i++) {
                    array.add(read(depth + 1));
                }
                finished.set(at);
                yield array;
            }
            case DATE -> {
                need(10, "date");
                double millis = in.readDouble();
                in.skipBytes(2); // time zone: reserved, always 0
                yield Instant.ofEpochMilli((long) millis);
            }
            case LONG_STRING -> readUtf8(readLength("long string"));
            case XML_DOCUMENT -> new AmfXmlDocument(readUtf8(readLength("XML document")));
            case TYPED_OBJECT -> {
                String className = readUtf8(readUnsignedShort());
                Map<String, Object> properties = new LinkedHashMap<>();
                AmfTypedObject typed = new AmfTypedObject(className, properties);
                int at = references.size();
                references.add(typed);
                readProperties(properties, depth);
                finished.set(at);
                yield typed;
            }
            // The value that follows is AMF3, with reference tables of its own.
            case AVMPLUS -> new Amf3Reader(in, Amf3Reader.DEFAULT_EXTERNALIZABLES, maxDepth - depth + 1).read();
            case MOVIECLIP, RECORDSET -> throw new AmfException(
                    "AMF0 marker 0x" + Integer.toHexString(marker) + " is reserved and never sent");
            case OBJECT_END -> throw new AmfException("AMF0 object end marker outside an object");
            default -> throw new AmfException("unknown AMF0 marker 0x" + Integer.toHexString(marker));
        };
    }

    private void readProperties(Map<String, Object> into, int depth) {
        while (true) {
            String key = readUtf8(readUnsignedShort());
            if (key.isEmpty()) {
                int marker = readByte();
                if (marker == OBJECT_END) {
                    return;
                }
                throw new AmfException("AMF0 empty property name followed by marker 0x"
                        + Integer.toHexString(marker) + "; expected the object end marker 0x09");
            }
            into.put(key, read(depth + 1));
        }
    }

    private int readByte() {
        need(1, "marker");
        return in.readUnsignedByte();
    }

    private int readUnsignedShort() {
        need(2, "length");
        return in.readUnsignedShort();
    }

    private int readLength(String what) {
        need(4, what + " length");
        long length = in.readUnsignedInt();
        if (length > in.readableBytes()) {
            throw new AmfException("AMF0 " + what + " of " + length + " bytes, but only " + in.readableBytes()
                    + " bytes are left");
        }
        return (int) length;
    }

    private String readUtf8(int length) {
        return AmfBytes.readUtf8(in, length, "AMF0");
    }

    private void need(int bytes, String what) {
        AmfBytes.need(in, bytes, "AMF0", what);
    }
}
