package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.CallResult;
import io.rendercast.video.RgbaCanvas;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class DemoSceneTest {

    @Test
    void frameCodeReadsBackTheFrameNumber() {
        RgbaCanvas canvas = new RgbaCanvas(640, 360);
        for (int frame : new int[] {0, 1, 89, 1234, 65535}) {
            DemoScene.render(canvas, frame, SceneState.INITIAL);
            assertEquals(frame, FrameCode.read(Pictures.toTopDownRgb(canvas), 640, 360));
        }
    }

    @Test
    void drawsTheCounterAtTheTopAndTheCodeAtTheBottom() {
        // Canvas rows count from the bottom: the frame code sits in the lowest rows, the counter near the top.
        RgbaCanvas canvas = new RgbaCanvas(640, 360);
        DemoScene.render(canvas, 8, SceneState.INITIAL);
        assertEquals(0x202020FF, canvas.pixel(40, 1), "frame code frame at canvas row 1 (bottom)");
        int counterColor = 0xFFFF40FF;
        boolean counterNearTop = false;
        for (int y = 300; y < 360 && !counterNearTop; y++) {
            for (int x = 0; x < 60; x++) {
                counterNearTop |= canvas.pixel(x, y) == counterColor;
            }
        }
        assertTrue(counterNearTop, "seven-segment counter in the top rows");
    }

    @Test
    void movesFromFrameToFrame() {
        RgbaCanvas a = new RgbaCanvas(320, 180);
        RgbaCanvas b = new RgbaCanvas(320, 180);
        DemoScene.render(a, 10, SceneState.INITIAL);
        DemoScene.render(b, 11, SceneState.INITIAL);
        assertNotEquals(a.data(), b.data());
    }

    @Test
    void setColorAndMoveCameraCallsChangeThePicture() {
        AtomicReference<SceneState> state = new AtomicReference<>(SceneState.INITIAL);
        RgbaCanvas before = new RgbaCanvas(320, 180);
        DemoScene.render(before, 5, state.get());

        CallResult color = DemoApplication.setColor(state, List.of("#33aaff"));
        assertTrue(color.succeeded());
        assertEquals("#33aaff", color.value());
        RgbaCanvas recoloured = new RgbaCanvas(320, 180);
        DemoScene.render(recoloured, 5, state.get());
        assertNotEquals(before.data(), recoloured.data());

        CallResult moved = DemoApplication.moveCamera(state, List.of(40.0, -10.0));
        assertTrue(moved.succeeded());
        RgbaCanvas shifted = new RgbaCanvas(320, 180);
        DemoScene.render(shifted, 5, state.get());
        assertNotEquals(recoloured.data(), shifted.data());

        assertFalse(DemoApplication.setColor(state, List.of("teal")).succeeded());
        assertFalse(DemoApplication.moveCamera(state, List.of("left")).succeeded());
    }
}
