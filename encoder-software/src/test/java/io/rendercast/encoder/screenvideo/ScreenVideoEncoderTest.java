package io.rendercast.encoder.screenvideo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

class ScreenVideoEncoderTest {

    private final ScreenVideoEncoder encoder = new ScreenVideoEncoder();

    private static RgbaCanvas picture(int width, int height, int seed) {
        RgbaCanvas canvas = new RgbaCanvas(width, height);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                canvas.setPixel(x, y, (x * 3 + seed) << 24 | (y * 5) << 16 | (x ^ y) << 8 | 0xFF);
            }
        }
        return canvas;
    }

    /** Decodes a frame as the SWF specification lays it out, onto {@code into} (bottom-up RGBA). */
    private static void decodeInto(byte[] frame, RgbaCanvas into) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(frame);
        int w = in.getShort() & 0xFFFF;
        int h = in.getShort() & 0xFFFF;
        int blockWidth = ((w >>> 12) + 1) * 16;
        int blockHeight = ((h >>> 12) + 1) * 16;
        int width = w & 0xFFF;
        int height = h & 0xFFF;
        assertEquals(into.resolutionX(), width);
        assertEquals(into.resolutionY(), height);
        for (int y0 = 0; y0 < height; y0 += blockHeight) {
            for (int x0 = 0; x0 < width; x0 += blockWidth) {
                int size = in.getShort() & 0xFFFF;
                if (size == 0) {
                    continue;
                }
                byte[] zipped = new byte[size];
                in.get(zipped);
                Inflater inflater = new Inflater();
                inflater.setInput(zipped);
                ByteArrayOutputStream bgr = new ByteArrayOutputStream();
                byte[] buffer = new byte[4096];
                while (!inflater.finished()) {
                    bgr.write(buffer, 0, inflater.inflate(buffer));
                }
                byte[] pixels = bgr.toByteArray();
                int bw = Math.min(blockWidth, width - x0);
                int bh = Math.min(blockHeight, height - y0);
                assertEquals(bw * bh * 3, pixels.length);
                for (int row = 0, i = 0; row < bh; row++) {
                    for (int col = 0; col < bw; col++, i += 3) {
                        into.setPixel(x0 + col, y0 + row, (pixels[i + 2] & 0xFF) << 24 | (pixels[i + 1] & 0xFF) << 16
                                | (pixels[i] & 0xFF) << 8 | 0xFF);
                    }
                }
            }
        }
        assertFalse(in.hasRemaining(), "nothing after the last block");
    }

    @Test
    void keyFrameDecodesToTheExactPicture() throws Exception {
        encoder.init(150, 70); // partial blocks on the right and at the top
        RgbaCanvas source = picture(150, 70, 0);
        VideoData frame = encoder.encode(source);
        assertTrue(frame.keyFrame());
        RgbaCanvas decoded = new RgbaCanvas(150, 70);
        decodeInto(frame.toByteArray(), decoded);
        assertEquals(source.data(), decoded.data(), "lossless");
    }

    @Test
    void interFramesSendUnchangedBlocksEmpty() throws Exception {
        encoder.init(128, 128);
        RgbaCanvas source = picture(128, 128, 0);
        VideoData key = encoder.encode(source);
        source.setPixel(100, 100, 0x11223344); // only the top right block changes
        VideoData inter = encoder.encode(source);
        assertFalse(inter.keyFrame());
        assertTrue(inter.size() < key.size() / 2, "inter " + inter.size() + " bytes, key " + key.size());
        RgbaCanvas decoded = new RgbaCanvas(128, 128);
        decodeInto(key.toByteArray(), decoded);
        decodeInto(inter.toByteArray(), decoded);
        assertEquals(0x112233FF, decoded.pixel(100, 100));
        assertEquals(withOpaqueAlpha(source).data(), decoded.data(), "lossless after a key and an inter frame");
        encoder.requestKeyFrame();
        assertTrue(encoder.encode(source).keyFrame());
    }

    private static RgbaCanvas withOpaqueAlpha(RgbaCanvas canvas) {
        RgbaCanvas copy = new RgbaCanvas(canvas.resolutionX(), canvas.resolutionY());
        copy.data().put(0, canvas.data(), 0, copy.data().capacity());
        for (int i = 3; i < copy.data().capacity(); i += 4) {
            copy.data().put(i, (byte) 0xFF);
        }
        return copy;
    }

    @Test
    void rejectsSizesTwelveBitsCannotCarry() {
        assertEquals(Reason.UNSUPPORTED_RESOLUTION, assertThrows(VideoEncoderException.class,
                () -> encoder.init(4096, 100)).reason());
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.init(0, 100)).reason());
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter("bitrate", "100")).reason());
    }
}
