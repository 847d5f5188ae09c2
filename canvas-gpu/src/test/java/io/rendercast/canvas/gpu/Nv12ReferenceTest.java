package io.rendercast.canvas.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.rendercast.video.RgbaCanvas;
import org.junit.jupiter.api.Test;

class Nv12ReferenceTest {

    @Test
    void convertsBt601LimitedRange() {
        assertEquals(235, Nv12Reference.luma(255, 255, 255));
        assertEquals(16, Nv12Reference.luma(0, 0, 0));
        assertEquals(82, Nv12Reference.luma(255, 0, 0)); // the integer formula; the real-valued one gives 81.5
        assertEquals(90, Nv12Reference.chromaU(255, 0, 0));
        assertEquals(240, Nv12Reference.chromaV(255, 0, 0));
        assertEquals(128, Nv12Reference.chromaU(128, 128, 128));
    }

    @Test
    void writesTopDownPlanesFromABottomUpCanvas() {
        RgbaCanvas canvas = new RgbaCanvas(4, 2);
        for (int x = 0; x < 4; x++) {
            canvas.setPixel(x, 1, 0xFFFFFFFF); // top row white
            canvas.setPixel(x, 0, 0x000000FF); // bottom row black
        }
        byte[] nv12 = Nv12Reference.toNv12(canvas);
        assertEquals(12, nv12.length);
        assertEquals(235, nv12[0] & 0xFF, "first Y row is the top one");
        assertEquals(16, nv12[4] & 0xFF);
        assertEquals(128, nv12[8] & 0xFF);
        assertEquals(128, nv12[9] & 0xFF);
        byte[] i420 = Nv12Reference.toI420(canvas);
        assertEquals(128, i420[8] & 0xFF);
        assertEquals(128, i420[10] & 0xFF);
    }
}
