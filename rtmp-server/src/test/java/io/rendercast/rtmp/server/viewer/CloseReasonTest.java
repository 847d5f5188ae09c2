package io.rendercast.rtmp.server.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A WebSocket close frame's reason holds 123 bytes of UTF-8; one cut by characters could be longer. */
class CloseReasonTest {

    @Test
    void aReasonIsCutToTheBytesACloseFrameHoldsAtACharacter() {
        String fitted = ViewerMessageEncoder.fit("ü".repeat(100) + " and more");
        assertTrue(fitted.getBytes(StandardCharsets.UTF_8).length <= 123, fitted);
        assertTrue(fitted.startsWith("üüü") && fitted.endsWith("..."), fitted);
        assertEquals("refused: wrong token", ViewerMessageEncoder.fit("refused: wrong token"));
        String emoji = ViewerMessageEncoder.fit("😀".repeat(60));
        assertTrue(emoji.getBytes(StandardCharsets.UTF_8).length <= 123 && !emoji.contains("\uFFFD"), emoji);
    }
}
