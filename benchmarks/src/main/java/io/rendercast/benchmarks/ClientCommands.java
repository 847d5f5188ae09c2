package io.rendercast.benchmarks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The few commands a load client sends (connect, createStream, play), written by hand as AMF0 bytes in format 0
 * chunks: apart from the server's codec, so that a bug there cannot hide itself here.
 */
final class ClientCommands {

    private ClientCommands() {
    }

    /** connect to {@code app}, then, when {@code streamName} is not null, createStream and play it on stream 1. */
    static byte[] connectAndPlay(String app, String streamName) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(chunk(3, 20, 0, amf("connect", 1.0), connectObject(app)));
        if (streamName != null) {
            out.writeBytes(chunk(3, 20, 0, amf("createStream", 2.0, (Object) null), new byte[0]));
            out.writeBytes(chunk(8, 20, 1, amf("play", 0.0, null, streamName), new byte[0]));
        }
        return out.toByteArray();
    }

    /** One message as a format 0 chunk; the client keeps the default chunk size, so payloads stay under 128. */
    static byte[] chunk(int csid, int type, int streamId, byte[] amf, byte[] tail) {
        int length = amf.length + tail.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(csid);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(streamId);
        out.write(streamId >>> 8);
        out.write(streamId >>> 16);
        out.write(streamId >>> 24);
        byte[] payload = new byte[length];
        System.arraycopy(amf, 0, payload, 0, amf.length);
        System.arraycopy(tail, 0, payload, amf.length, tail.length);
        for (int offset = 0; offset < length; offset += 128) {
            if (offset > 0) {
                out.write(0xC0 | csid);
            }
            out.write(payload, offset, Math.min(128, length - offset));
        }
        return out.toByteArray();
    }

    /** A command's name, transaction id and values: strings, numbers and null only. */
    static byte[] amf(String name, double transactionId, Object... rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        string(out, name);
        number(out, transactionId);
        for (Object value : rest) {
            if (value == null) {
                out.write(5);
            } else {
                string(out, (String) value);
            }
        }
        return out.toByteArray();
    }

    /** The command object of {@code connect}: just the app. */
    static byte[] connectObject(String app) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(3);
        key(out, "app");
        string(out, app);
        out.write(0);
        out.write(0);
        out.write(9);
        return out.toByteArray();
    }

    private static void key(ByteArrayOutputStream out, String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        out.write(utf8.length >>> 8);
        out.write(utf8.length);
        out.writeBytes(utf8);
    }

    private static void string(ByteArrayOutputStream out, String value) {
        out.write(2);
        key(out, value);
    }

    private static void number(ByteArrayOutputStream out, double value) {
        out.write(0);
        long bits = Double.doubleToLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
    }
}
