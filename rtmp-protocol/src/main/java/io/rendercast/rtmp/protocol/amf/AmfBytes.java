package io.rendercast.rtmp.protocol.amf;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** The bounds check and UTF-8 read both AMF readers make, so that hostile lengths fail the same way. */
final class AmfBytes {

    private AmfBytes() {
    }

    /** Fails unless {@code bytes} more are readable; {@code format} ("AMF0", "AMF3") and {@code what} name them. */
    static void need(ByteBuf in, long bytes, String format, String what) {
        if (in.readableBytes() < bytes) {
            throw new AmfException(format + " " + what + " needs " + bytes + " bytes, only " + in.readableBytes()
                    + " are left");
        }
    }

    /** Reads {@code length} bytes of UTF-8, after checking they are there. */
    static String readUtf8(ByteBuf in, int length, String format) {
        need(in, length, format, "string");
        String value = in.toString(in.readerIndex(), length, StandardCharsets.UTF_8);
        in.skipBytes(length);
        return value;
    }
}
