package io.rendercast.encoder.avcodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * {@code prepare}: a canvas converted ahead, on another thread, encodes to the very bytes it would have without
 * it. Pictures of at most 640x360 run x264 and swscale on one thread each, so the same pictures give the same
 * bytes and any difference is a different picture.
 */
class PreparedPicturesTest {

    private static final int WIDTH = 320;
    private static final int HEIGHT = 240;

    @Test
    void aPreparedCanvasEncodesAsItWouldHaveUnprepared() throws VideoEncoderException {
        VideoEncoder plain = open();
        VideoEncoder prepared = open();
        RgbaCanvas canvas = new RgbaCanvas(WIDTH, HEIGHT);
        try {
            for (int frame = 0; frame < 10; frame++) {
                byte[] expected = plain.encode(paint(canvas, frame)).toByteArray();
                prepared.prepare(canvas);
                assertArrayEquals(expected, prepared.encode(canvas).toByteArray(), "frame " + frame);
            }
        } finally {
            plain.close();
            prepared.close();
        }
    }

    /** Breaks the rule that a canvas stays as prepared, to see which picture encode takes, and how often. */
    @Test
    void encodeTakesThePreparedPictureOnceThenConvertsItself() throws VideoEncoderException {
        VideoEncoder reference = open();
        VideoEncoder encoder = open();
        RgbaCanvas canvas = new RgbaCanvas(WIDTH, HEIGHT);
        RgbaCanvas other = new RgbaCanvas(WIDTH, HEIGHT);
        try {
            byte[] first = reference.encode(paint(other, 1)).toByteArray();
            byte[] second = reference.encode(paint(other, 2)).toByteArray();
            encoder.prepare(paint(canvas, 1));
            paint(canvas, 2);
            assertArrayEquals(first, encoder.encode(canvas).toByteArray(), "the picture as prepared");
            assertArrayEquals(second, encoder.encode(canvas).toByteArray(), "converted anew: nothing prepared");
        } finally {
            reference.close();
            encoder.close();
        }
    }

    @Test
    void aRenderThreadPreparesWhileTheFrameThreadEncodes() throws Exception {
        int width = 640;
        int height = 360;
        VideoEncoder plain = open(width, height);
        VideoEncoder encoder = open(width, height);
        RgbaCanvas[] canvases = {new RgbaCanvas(width, height), new RgbaCanvas(width, height),
                new RgbaCanvas(width, height)};
        BlockingQueue<RgbaCanvas> finished = new ArrayBlockingQueue<>(1);
        BlockingQueue<RgbaCanvas> free = new ArrayBlockingQueue<>(3, false, java.util.List.of(canvases));
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int frames = 60;
        Thread render = Thread.ofPlatform().name("render").start(() -> {
            try {
                for (int frame = 0; frame < frames; frame++) {
                    RgbaCanvas canvas = paint(free.take(), frame);
                    encoder.prepare(canvas);
                    finished.put(canvas);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        RgbaCanvas mine = new RgbaCanvas(width, height);
        try {
            for (int frame = 0; frame < frames; frame++) {
                RgbaCanvas canvas = finished.take();
                byte[] expected = plain.encode(paint(mine, frame)).toByteArray();
                assertArrayEquals(expected, encoder.encode(canvas).toByteArray(), "frame " + frame);
                free.put(canvas);
            }
            render.join();
            assertEquals(null, failure.get());
        } finally {
            plain.close();
            encoder.close();
        }
    }

    @Test
    void closeWaitsForAConversionAndLaterPreparesDoNothing() throws Exception {
        VideoEncoder encoder = open();
        RgbaCanvas canvas = paint(new RgbaCanvas(WIDTH, HEIGHT), 0);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread render = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 2_000; i++) {
                    encoder.prepare(canvas);
                }
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        Thread.sleep(20);
        encoder.close();
        render.join();
        assertEquals(null, failure.get());
        encoder.prepare(canvas);
    }

    @Test
    void refusesWhatEncodeWouldAndDoesNothingBeforeInit() throws VideoEncoderException {
        VideoEncoder encoder = new X264EncoderProvider().create();
        try {
            encoder.prepare(new RgbaCanvas(64, 64)); // not initialised: nothing to convert for yet
            encoder.init(WIDTH, HEIGHT);
            VideoEncoderException e = assertThrows(VideoEncoderException.class,
                    () -> encoder.prepare(new RgbaCanvas(64, 64)));
            assertEquals(Reason.UNSUPPORTED_CANVAS, e.reason());
            assertTrue(e.getMessage().contains("64x64"), e.getMessage());
        } finally {
            encoder.close();
        }
    }

    private static VideoEncoder open() throws VideoEncoderException {
        return open(WIDTH, HEIGHT);
    }

    private static VideoEncoder open(int width, int height) throws VideoEncoderException {
        VideoEncoder encoder = new X264EncoderProvider().create();
        encoder.init(width, height);
        return encoder;
    }

    private static RgbaCanvas paint(RgbaCanvas canvas, int frame) {
        for (int y = 0; y < canvas.resolutionY(); y++) {
            for (int x = 0; x < canvas.resolutionX(); x++) {
                canvas.setPixel(x, y, ((x * 3 + frame * 5) & 0xFF) << 24 | ((y + frame) & 0xFF) << 16 | 0x40FF);
            }
        }
        return canvas;
    }
}
