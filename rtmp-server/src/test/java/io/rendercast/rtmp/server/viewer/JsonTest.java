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
        assertThrows(IllegalArgumentException.class, () -> Json.parse("\"open"));
        IllegalArgumentException deep = assertThrows(IllegalArgumentException.class,
                () -> Json.parse("[".repeat(100) + "]".repeat(100)));
        assertTrue(deep.getMessage().contains("nested"), deep.getMessage());
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
