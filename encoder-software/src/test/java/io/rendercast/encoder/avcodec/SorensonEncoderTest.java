package io.rendercast.encoder.avcodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import org.junit.jupiter.api.Test;

class SorensonEncoderTest {

    @Test
    void writesSorensonPicturesWithKeyFramesOnRequest() throws VideoEncoderException {
        VideoEncoder encoder = VideoEncoders.select("sorenson").create();
        try {
            assertEquals("sorenson", encoder.identifier());
            assertTrue(encoder.init(320, 240).isEmpty(), "Sorenson H.263 has no init data");
            RgbaCanvas canvas = new RgbaCanvas(320, 240);
            VideoData first = encoder.encode(canvas);
            assertTrue(first.keyFrame());
            // A Sorenson picture starts with the 17-bit start code 0000 0000 0000 0000 1, then version 0 or 1.
            assertEquals(0, first.toByteArray()[0]);
            assertEquals(0, first.toByteArray()[1]);
            assertEquals(0x80, first.toByteArray()[2] & 0x80);
            canvas.setPixel(10, 10, 0xFF0000FF);
            assertFalse(encoder.encode(canvas).keyFrame());
            encoder.requestKeyFrame();
            assertTrue(encoder.encode(canvas).keyFrame());
        } finally {
            encoder.close();
        }
    }
}
