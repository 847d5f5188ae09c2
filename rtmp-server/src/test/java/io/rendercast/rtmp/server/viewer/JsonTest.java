package io.rendercast.rtmp.server.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The viewer's JSON maps to the values AMF gives call handlers, and refuses what it cannot read. */
class JsonTest {

    @Test
    void readsWhatAPageSendsAsAmfValues() {
        Object parsed = Json.parse(" {\"type\":\"call\",\"procedure\":\"moveCamera\",\"id\":3,\"args\":[12,-4.5,null,"
                + "true,\"a\\\"b\\u00e9\",{\"k\":[]}]} ");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("type", "call");
        expected.put("procedure", "moveCamera");
        expected.put("id", 3.0);
        expected.put("args", Arrays.asList(12.0, -4.5, null, true, "a\"b\u00e9", Map.of("k", List.of())));
        assertEquals(expected, parsed);
    }

    @Test
    void writesWhatItReadsBack() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("text", "line\nbreak \"quoted\" \\ \u0001");
        value.put("whole", 42.0);
        value.put("half", 0.5);
        value.put("list", Arrays.asList(true, null, "x"));
        String json = Json.write(value);
        assertTrue(json.contains("\"whole\":42,") && json.contains("\\u0001"), json);
        assertEquals(value, Json.parse(json));
    }

    @Test
    void refusesBrokenOrTooDeepText() {
        assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,2] x"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[1,2] [3]"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("  "));
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(100) + "]".repeat(100)));
        assertTrue(deep.getMessage().contains("nested deeper than 32"), deep.getMessage());
    }

    @Test
    void nestsAsDeepAsAmfAndNoDeeper() {
        // As Amf0Reader: the outermost value is at depth 0, and no value may be deeper than MAX_DEPTH.
        String deepest = "[".repeat(Json.MAX_DEPTH) + "1" + "]".repeat(Json.MAX_DEPTH);
        assertEquals(List.of(1.0), unwrap(Json.parse(deepest), Json.MAX_DEPTH - 1));
        String emptyAtTheBottom = "[".repeat(Json.MAX_DEPTH + 1) + "]".repeat(Json.MAX_DEPTH + 1);
        assertEquals(List.of(), unwrap(Json.parse(emptyAtTheBottom), Json.MAX_DEPTH));
        IllegalArgumentException deeper = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(Json.MAX_DEPTH + 1) + "1" + "]".repeat(Json.MAX_DEPTH + 1)));
        assertTrue(deeper.getMessage().contains("nested deeper than"), deeper.getMessage());
        String objects = "{\"a\":".repeat(Json.MAX_DEPTH + 1) + "1" + "}".repeat(Json.MAX_DEPTH + 1);
        assertThrows(IllegalArgumentException.class, () -> Json.parse(objects));
    }

    @Test
    void everyNumberIsADoubleAsInAmf() {
        assertEquals(Arrays.asList(0.0, -7.0, 2.5e-3, 1e300, 1.2345678901234567e29, Double.POSITIVE_INFINITY),
                Json.parse("[0,-7,2.5E-3,1e300,123456789012345678901234567890,1e400]"));
        assertEquals(9.007199254740993e15, Json.parse("9007199254740993"));
    }

    @Test
    void errorsSayWhatIsWrongAndWhere() {
        IllegalArgumentException after = assertThrows(IllegalArgumentException.class, () -> Json.parse("[1] [2]"));
        assertEquals("JSON: expected nothing after the value at character 5", after.getMessage());
        IllegalArgumentException end = assertThrows(IllegalArgumentException.class, () -> Json.parse("{\"a\":[1,"));
        assertTrue(end.getMessage().startsWith("JSON: Unexpected end-of-input")
                && end.getMessage().contains(" at character "), end.getMessage());
        IllegalArgumentException key = assertThrows(IllegalArgumentException.class, () -> Json.parse("{a:1}"));
        assertTrue(key.getMessage().contains("double-quote") && key.getMessage().endsWith("at character 1"),
                key.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class, () -> Json.parse(""));
        assertTrue(empty.getMessage().startsWith("JSON: expected a value"), empty.getMessage());
    }

    @Test
    void readsStrictJsonOnly() {
        // What JSON.stringify never writes; the hand-written parser before Jackson took "+1", ".5", "1.", "01",
        // an unknown escape and a raw tab.
        for (String text : List.of("NaN", "[Infinity]", "+1", ".5", "1.", "01", "[1,]", "{\"a\":1,}", "'a'",
                "[1 // note\n]", "\"\\x\"", "\"tab\there\"", "[1 2]", "{\"a\" 1}", "tru", "nul")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text), text);
            assertTrue(e.getMessage().startsWith("JSON: "), e.getMessage());
        }
    }

    @Test
    void writesWhatJsonCannotSayAsNullAndKeepsKeyOrder() {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("z", Double.NaN);
        value.put("a", Double.NEGATIVE_INFINITY);
        value.put("big", 1e20);
        value.put("bytes", new byte[3]);
        value.put("when", java.time.Instant.parse("2024-01-02T03:04:05Z"));
        assertEquals("{\"z\":null,\"a\":null,\"big\":1.0E20,\"bytes\":3,\"when\":\"2024-01-02T03:04:05Z\"}",
                Json.write(value));
        assertEquals("\"\\u0000\\b\\f/\u00e9\\\"\"", Json.write("\u0000\b\f/\u00e9\""));
        assertEquals("[1,-2,0.25]", Json.write(List.of(1, -2L, 0.25f)));
    }

    @Test
    void refusesToWriteAValueThatContainsItself() {
        List<Object> loop = new java.util.ArrayList<>();
        loop.add(loop);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.write(loop));
        assertTrue(e.getMessage().startsWith("JSON: cannot write ArrayList"), e.getMessage());
    }

    private static Object unwrap(Object value, int times) {
        for (int i = 0; i < times; i++) {
            value = ((List<?>) value).getFirst();
        }
        return value;
    }

    @Test
    void aViewerRequestIsTheAppTheStreamAndTheQuery() {
        ViewerRequest ws = ViewerRequest.parse("/ws/live/demo?token=s3cret");
        assertEquals(new ViewerRequest(ViewerRequest.Kind.WEBSOCKET, "live", "demo", Map.of("token", "s3cret")), ws);
        assertEquals(ViewerRequest.Kind.HTTP_FLV, ViewerRequest.parse("/live/demo.flv").kind());
        assertEquals("demo", ViewerRequest.parse("/flv/live/demo").stream());
        assertEquals(ViewerRequest.Kind.WEBSOCKET_FLV, ViewerRequest.parse("/ws-flv/live/a/b").kind());
        assertEquals("a/b", ViewerRequest.parse("/ws-flv/live/a/b").stream());
        assertEquals(null, ViewerRequest.parse("/"));
        assertEquals(null, ViewerRequest.parse("/ws/live"));
        assertEquals(null, ViewerRequest.parse("/viewer.js"));
    }
}
