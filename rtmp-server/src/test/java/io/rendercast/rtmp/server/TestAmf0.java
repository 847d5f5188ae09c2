package io.rendercast.rtmp.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AMF0 as the test client writes and reads it, written from the spec apart from the server's codec, so that a
 * bug in one is not hidden by the same bug in the other. Covers what players send and servers answer.
 */
final class TestAmf0 {

    private TestAmf0() {
    }

    /** The AMF0 encoding of {@code values}, one after the other. */
    static byte[] encode(Object... values) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            for (Object value : values) {
                write(out, value);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Object value) throws IOException {
        switch (value) {
            case null -> out.writeByte(0x05);
            case Number n -> {
                out.writeByte(0x00);
                out.writeDouble(n.doubleValue());
            }
            case Boolean b -> {
                out.writeByte(0x01);
                out.writeByte(b ? 1 : 0);
            }
            case String s -> {
                out.writeByte(0x02);
                writeUtf8(out, s);
            }
            case Map<?, ?> map -> {
                out.writeByte(0x03);
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    writeUtf8(out, String.valueOf(e.getKey()));
                    write(out, e.getValue());
                }
                out.writeShort(0);
                out.writeByte(0x09);
            }
            case List<?> list -> {
                out.writeByte(0x0A);
                out.writeInt(list.size());
                for (Object item : list) {
                    write(out, item);
                }
            }
            default -> throw new IllegalArgumentException("the test client writes no " + value.getClass());
        }
    }

    private static void writeUtf8(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }

    /** Every value in {@code payload}. */
    static List<Object> decode(byte[] payload) {
        DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(payload));
        List<Object> values = new ArrayList<>();
        try {
            while (in.available() > 0) {
                values.add(read(in));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return values;
    }

    private static Object read(DataInputStream in) throws IOException {
        int marker = in.readUnsignedByte();
        return switch (marker) {
            case 0x00 -> in.readDouble();
            case 0x01 -> in.readUnsignedByte() != 0;
            case 0x02 -> readUtf8(in, in.readUnsignedShort());
            case 0x03 -> readProperties(in);
            case 0x05, 0x06 -> null;
            case 0x08 -> {
                in.readInt(); // the ECMA array's count, a hint
                yield readProperties(in);
            }
            case 0x0A -> {
                int count = in.readInt();
                List<Object> list = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    list.add(read(in));
                }
                yield list;
            }
            case 0x0C -> readUtf8(in, in.readInt());
            default -> throw new IOException("the test client reads no AMF0 marker " + marker);
        };
    }

    private static Map<String, Object> readProperties(DataInputStream in) throws IOException {
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            String key = readUtf8(in, in.readUnsignedShort());
            if (key.isEmpty()) {
                int end = in.readUnsignedByte();
                if (end != 0x09) {
                    throw new IOException("an object's empty key is followed by " + end + ", not the end marker");
                }
                return map;
            }
            map.put(key, read(in));
        }
    }

    private static String readUtf8(DataInputStream in, int length) throws IOException {
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }
}
