package io.rendercast.rtmp.server.playback;

import io.rendercast.video.RgbaCanvas;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The three canvases of managed mode, handed between the render and the frame thread. */
class ManagedCanvasesTest {

    private final ManagedCanvases canvases = new ManagedCanvases(8, 4);

    @Test
    void nothingToEncodeBeforeTheFirstFinishedCanvas() {
        assertFalse(canvases.hasNewest());
        assertNull(canvases.beginEncode());
        RgbaCanvas drawn = canvases.beginDraw();
        assertEquals(8, drawn.resolutionX());
        assertEquals(4, drawn.resolutionY());
        canvases.cancelDraw();
        assertNull(canvases.beginEncode(), "a cancelled drawing is not a frame");
    }

    @Test
    void theNewestFinishedCanvasIsEncodedOnceWithItsTimestamp() {
        RgbaCanvas first = canvases.beginDraw();
        assertFalse(canvases.finishDraw(0), "nothing waited to be encoded");
        RgbaCanvas second = canvases.beginDraw();
        assertNotSame(first, second, "the newest finished canvas is not drawn over");
        assertTrue(canvases.finishDraw(33), "the first, never taken, is replaced");
        assertSame(second, canvases.beginEncode(), "the newest, not the first, which had no time to be encoded");
        assertEquals(33, canvases.encodingTimestamp());
        canvases.finishEncode();
        assertFalse(canvases.hasNewest());
        assertNull(canvases.beginEncode(), "a canvas is encoded once");
        canvases.beginDraw();
        assertFalse(canvases.finishDraw(66), "the newest was taken: nothing is replaced");
    }

    @Test
    void theRendererNeverGetsTheCanvasBeingEncodedNorTheNewest() {
        Set<RgbaCanvas> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        RgbaCanvas encoding = null;
        for (int frame = 0; frame < 50; frame++) {
            RgbaCanvas drawing = canvases.beginDraw();
            seen.add(drawing);
            assertNotSame(encoding, drawing, "frame " + frame + " drawn into the canvas being encoded");
            canvases.finishDraw(frame);
            if (frame % 3 == 0) { // the frame thread is slower: it takes every third
                if (encoding != null) {
                    canvases.finishEncode();
                }
                encoding = canvases.beginEncode();
                assertSame(drawing, encoding, "the frame thread takes the newest");
            }
            assertEquals(frame % 3 != 0, canvases.hasNewest(), "a finished frame waits unless just taken");
        }
        assertEquals(3, seen.size(), "three canvases take turns");
    }

    @Test
    void fitsOnlyItsOwnSize() {
        assertTrue(canvases.fit(8, 4));
        assertFalse(canvases.fit(4, 8));
    }
}
