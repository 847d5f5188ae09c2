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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(LeakCheckExtension.class)
class Amf3Test {

    private static Object read(String hex) {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(hex.replace(" ", "")));
        try {
            Object value = new Amf3Reader(buf).read();
            assertEquals(0, buf.readableBytes(), "every byte read");
            return value;
        } finally {
            buf.release();
        }
    }

    private static String written(Object... values) {
        ByteBuf buf = Unpooled.buffer();
        try {
            Amf3Writer writer = new Amf3Writer(buf);
            for (Object value : values) {
                writer.write(value);
            }
            return ByteBufUtil.hexDump(buf);
        } finally {
            buf.release();
        }
    }

    private static Object roundTrip(Object value) {
        ByteBuf buf = Unpooled.buffer();
        try {
            new Amf3Writer(buf).write(value);
            return new Amf3Reader(buf).read();
        } finally {
            buf.release();
        }
    }

    // The U29 table of the AMF3 specification (Adobe, "Action Message Format -- AMF 3", 2013, section 1.3.1):
    // 0x00000000-0x0000007F in one byte, up to 0x3FFF in two, up to 0x1FFFFF in three, up to 0x1FFFFFFF in four,
    // and integers as 29-bit two's complement (section 3.6).
    @ParameterizedTest
    @CsvSource({
            "0,          04 00",
            "127,        04 7f",
            "128,        04 81 00",
            "16383,      04 ff 7f",
            "16384,      04 81 80 00",
            "2097151,    04 ff ff 7f",
            "2097152,    04 80 c0 80 00",
            "268435455,  04 bf ff ff ff",
            "-1,         04 ff ff ff ff",
            "-268435456, 04 c0 80 80 00"})
    void encodesIntegersAsTheSpecificationSays(int value, String hex) {
        assertEquals(hex.replace(" ", ""), written(value));
        assertEquals(value, read(hex));
    }

    @Test
    void writesIntegersOutsideTwentyNineBitsAsDoubles() {
        assertEquals("0541b0000000000000", written(268435456));
        assertEquals(268435456.0, read("0541b0000000000000"));
    }

    // Markers and layouts of the specification's section 3: string (3.8) with its reference table, date (3.10),
    // array (3.11), object (3.12), byte array (3.14), and the constants undefined, null, false, true (3.2-3.5).
    @Test
    void matchesTheSpecificationsLayouts() {
        assertEquals("060b68656c6c6f" + "0600", written("hello", "hello"), "second 'hello' is reference 0");
        assertEquals("0601", written(""), "the empty string, never a reference");
        assertEquals("01", written((Object) null));
        assertEquals("08" + "01" + "0000000000000000", written(Instant.EPOCH));
        assertEquals("0905" + "01" + "0401" + "0402", written(List.of(1, 2)));
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("a", 1);
        assertEquals("0a0b01" + "0361" + "0401" + "01", written(a), "anonymous dynamic object {a: 1}");
        assertEquals("0c07010203", written(new byte[] {1, 2, 3}));
        assertNull(read("00"));
        assertNull(read("01"));
        assertEquals(false, read("02"));
        assertEquals(true, read("03"));
        assertEquals(0.1, read("053fb999999999999a"));
    }

    @Test
    void roundTripsEveryTypeTheWriterTakes() {
        Map<String, Object> camera = new LinkedHashMap<>();
        camera.put("fov", 60.5);
        camera.put("name", "main");
        camera.put("tags", List.of("a", "b", "a"));
        assertEquals(camera, roundTrip(camera));
        AmfTypedObject typed = new AmfTypedObject("com.example.Move", new LinkedHashMap<>(Map.of("dx", 3)));
        assertEquals(typed, roundTrip(typed));
        assertEquals(new AmfXmlDocument("<a/>"), roundTrip(new AmfXmlDocument("<a/>")));
        assertEquals(Instant.ofEpochMilli(1_700_000_000_000L), roundTrip(Instant.ofEpochMilli(1_700_000_000_000L)));
        assertArrayEquals(new int[] {1, -2, 3}, (int[]) roundTrip(new int[] {1, -2, 3}));
        assertArrayEquals(new double[] {0.5, -1}, (double[]) roundTrip(new double[] {0.5, -1}), 0);
        assertArrayEquals(new byte[] {9, 8}, (byte[]) roundTrip(new byte[] {9, 8}));
        assertEquals("héllo ✓", roundTrip("héllo ✓"));
    }

    @Test
    void resolvesObjectAndTraitsReferences() {
        // [o, o] where o = {x: 1} of class "P" with sealed member x: the second element is an object reference,
        // then a second P that reuses the traits by reference (0x01 = traits reference 0).
        Object list = read("09 07 01"
                + "0a 13 03 50 03 78 04 01"   // object, inline traits, 1 sealed member, class "P", member "x", 1
                + "0a 02"                    // object reference 1 (the array is 0)
                + "0a 01 04 02");            // object with traits reference 0, x = 2
        List<?> items = (List<?>) list;
        assertSame(items.get(0), items.get(1));
        assertEquals(new AmfTypedObject("P", Map.of("x", 1)), items.get(0));
        assertEquals(new AmfTypedObject("P", Map.of("x", 2)), items.get(2));
    }

    @Test
    void readsMixedArraysVectorsAndDictionaries() {
        Map<?, ?> mixed = (Map<?, ?>) read("09 03 036b 0401 01 0406"); // {k: 1} with one dense entry, 6
        assertEquals(Map.of("k", 1, "0", 6), mixed);
        assertArrayEquals(new long[] {4294967295L}, (long[]) read("0e 03 00 ffffffff"));
        assertEquals(Arrays.asList("x", null), read("10 05 00 0d537472696e67 060378 01"));
        Map<?, ?> dictionary = (Map<?, ?>) read("11 03 00 0401 060379");
        assertEquals(Map.of(1, "y"), dictionary);
    }

    @Test
    void refusesUnregisteredExternalizableClassesAndReadsRegisteredOnes() {
        AmfException e = assertThrows(AmfException.class, () -> read("0a 07 07 612e42 00"));
        assertTrue(e.getMessage().contains("'a.B'") && e.getMessage().contains("no reader is registered"),
                e.getMessage());
        // flex.messaging.io.ArrayCollection wraps one value: here the dense array [1].
        String name = ByteBufUtil.hexDump("flex.messaging.io.ArrayCollection".getBytes());
        assertEquals(List.of(1), read("0a 07 43" + name + " 09 03 01 04 01"));
    }

    @Test
    void rejectsHostileInput() {
        assertTrue(assertThrows(AmfException.class, () -> read("06 ff ff ff 7f")).getMessage().contains("bytes"));
        assertTrue(assertThrows(AmfException.class, () -> read("09 ff ff ff 7f 01")).getMessage().contains("entries"));
        assertTrue(assertThrows(AmfException.class, () -> read("06 02")).getMessage().contains("reference"));
        assertTrue(assertThrows(AmfException.class, () -> read("0a 00")).getMessage().contains("reference"));
        assertTrue(assertThrows(AmfException.class, () -> read("12")).getMessage().contains("unknown AMF3 marker"));
        String deep = "09 03 01".repeat(Amf0Reader.DEFAULT_MAX_DEPTH + 2) + "01";
        assertTrue(assertThrows(AmfException.class, () -> read(deep)).getMessage().contains("nested deeper"));
    }

    @Test
    void amf0SwitchesToAmf3ForOneValue() {
        ByteBuf buf = Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump("11" + "0a0b01" + "0361" + "0401" + "01"
                + "0101"));
        try {
            Amf0Reader reader = new Amf0Reader(buf);
            assertEquals(Map.of("a", 1), reader.read());
            assertEquals(true, reader.read(), "back to AMF0 after the AMF3 value");
        } finally {
            buf.release();
        }
        assertInstanceOf(Map.class, roundTrip(new LinkedHashMap<>()));
    }
}
