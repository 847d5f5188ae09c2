package io.rendercast.rtmp.protocol.amf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rendercast.rtmp.AmfTypedObject;
import io.rendercast.rtmp.AmfXmlDocument;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheckExtension.class)
class Amf0Test {

    private static Object roundTrip(Object value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.write(buf, value);
            Object read = new Amf0Reader(buf).read();
            assertEquals(0, buf.readableBytes(), "reader consumed every byte");
            return read;
        } finally {
            buf.release();
        }
    }

    private static byte[] written(Object value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf0Writer.write(buf, value);
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    private static Object read(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        try {
            return new Amf0Reader(buf).read();
        } finally {
            buf.release();
        }
    }

    @Test
    void roundTripsEveryType() {
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("app", "live");
        object.put("fpad", false);
        object.put("capabilities", 239.0);
        object.put("nested", new LinkedHashMap<>(Map.of("x", 1.5)));
        object.put("none", null);
        assertEquals(object, roundTrip(object));
        assertEquals(3.25, roundTrip(3.25));
        assertEquals(42.0, roundTrip(42), "any Number is written as a double");
        assertEquals(true, roundTrip(true));
        assertEquals("héllo ✓", roundTrip("héllo ✓"));
        String longString = "x".repeat(70_000);
        assertEquals(longString, roundTrip(longString));
        assertNull(roundTrip(null));
        assertEquals(Arrays.asList(1.0, "two", null), roundTrip(Arrays.asList(1, "two", null)));
        Instant when = Instant.ofEpochMilli(1_700_000_000_123L);
        assertEquals(when, roundTrip(when));
        AmfTypedObject typed = new AmfTypedObject("com.example.Camera", new LinkedHashMap<>(Map.of("fov", 60.0)));
        assertEquals(typed, roundTrip(typed));
        assertEquals(new AmfXmlDocument("<a b='1'/>"), roundTrip(new AmfXmlDocument("<a b='1'/>")));
    }

    // Byte sequences from the AMF0 specification (Adobe, "Action Message Format -- AMF 0", section 2).
    @Test
    void matchesTheSpecificationsEncodings() {
        assertArrayEquals(ByteBufUtil.decodeHexDump("003ff0000000000000"), written(1.0));
        assertArrayEquals(ByteBufUtil.decodeHexDump("0101"), written(true));
        assertArrayEquals(ByteBufUtil.decodeHexDump("020005" + "68656c6c6f"), written("hello"));
        assertArrayEquals(ByteBufUtil.decodeHexDump("05"), written(null));
        Map<String, Object> object = new LinkedHashMap<>();
        object.put("a", 1.0);
        assertArrayEquals(ByteBufUtil.decodeHexDump("03" + "0001" + "61" + "003ff0000000000000" + "000009"),
                written(object));
        assertArrayEquals(ByteBufUtil.decodeHexDump("0a00000002" + "0101" + "0100"), written(List.of(true, false)));
    }

    // A connect command laid out as librtmp writes it: name, transaction id 1, then the command object.
    @Test
    void readsAConnectCommandAsLibrtmpWritesIt() {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("020007636f6e6e656374003ff00000000000000300036170700200046c6976650008666c61736856657202000e4c4e582031302c302c33322c31380005746355726c02001a72746d703a2f2f6c6f63616c686f73743a313933352f6c697665000009"));
        try {
            Amf0Reader reader = new Amf0Reader(buf);
            assertEquals("connect", reader.read());
            assertEquals(1.0, reader.read());
            Map<?, ?> object = (Map<?, ?>) reader.read();
            assertEquals("live", object.get("app"));
            assertEquals("LNX 10,0,32,18", object.get("flashVer"));
            assertEquals("rtmp://localhost:1935/live", object.get("tcUrl"));
            assertEquals(0, buf.readableBytes());
        } finally {
            buf.release();
        }
    }

    @Test
    void readsEcmaArraysUndefinedAndReferences() {
        // ECMA array {"w": 2.0} with a wrong count hint, undefined, then a reference back to the first object.
        Object array = read("08 000000ff 0001 77 00 4000000000000000 000009");
        assertEquals(Map.of("w", 2.0), array);
        assertNull(read("06"));
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(
                "0a00000002" + "03" + "0001" + "78" + "05" + "000009" + "070001"));
        // References count the array itself (0), then the object (1).
        try {
            List<?> list = (List<?>) new Amf0Reader(buf).read();
            assertSame(list.get(0), list.get(1));
        } finally {
            buf.release();
        }
    }

    @Test
    void rejectsLengthsBeyondTheBytesThatAreThere() {
        AmfException e = assertThrows(AmfException.class, () -> read("0c7fffffff41"));
        assertTrue(e.getMessage().contains("only 1 bytes are left"), e.getMessage());
        assertThrows(AmfException.class, () -> read("0a7fffffff"));
        assertThrows(AmfException.class, () -> read("0200ff41"));
        assertThrows(AmfException.class, () -> read("00 3ff0"));
    }

    @Test
    void rejectsNestingBeyondTheLimit() {
        String deep = "0a00000001".repeat(Amf0Reader.DEFAULT_MAX_DEPTH + 2) + "05";
        AmfException e = assertThrows(AmfException.class, () -> read(deep));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void rejectsUnknownAndReservedMarkersAndDanglingReferences() {
        assertTrue(assertThrows(AmfException.class, () -> read("04")).getMessage().contains("reserved"));
        assertTrue(assertThrows(AmfException.class, () -> read("20")).getMessage().contains("unknown AMF0 marker"));
        assertTrue(assertThrows(AmfException.class, () -> read("0700 05")).getMessage().contains("reference"));
        assertTrue(assertThrows(AmfException.class, () -> read("11")).getMessage().contains("AMF3"));
    }

    @Test
    void refusesToWriteTypesAmf0CannotCarry() {
        AmfException e = assertThrows(AmfException.class, () -> written(new Object()));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    }
}
