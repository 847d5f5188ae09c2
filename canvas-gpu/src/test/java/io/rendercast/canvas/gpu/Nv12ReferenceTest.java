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
        byte[] i420 = toI420(canvas);
        assertEquals(128, i420[8] & 0xFF);
        assertEquals(128, i420[10] & 0xFF);
    }

    /**
     * I420 (the Y plane, then the U plane, then the V plane) as the {@code rgba_to_i420} kernel lays it out: the
     * same samples as NV12 with the chroma apart. Only tests want it, so it lives here and not in the reference.
     */
    static byte[] toI420(RgbaCanvas canvas) {
        byte[] nv12 = Nv12Reference.toNv12(canvas);
        int lumaSize = canvas.resolutionX() * canvas.resolutionY();
        int planeSize = lumaSize / 4;
        byte[] i420 = new byte[nv12.length];
        System.arraycopy(nv12, 0, i420, 0, lumaSize);
        for (int i = 0; i < planeSize; i++) {
            i420[lumaSize + i] = nv12[lumaSize + 2 * i];
            i420[lumaSize + planeSize + i] = nv12[lumaSize + 2 * i + 1];
        }
        return i420;
    }
}
