package io.rendercast.encoder.avcodec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class X265EncoderTest {

    /** As x264's: a player's own stream refreshed a column at a time has no frame a key frame's size but the first. */
    @Test
    void withIntraRefreshOnlyTheFirstAndTheAskedForAreKeyFramesAndNoFrameIsAKeyFramesSize()
            throws VideoEncoderException {
        VideoEncoder encoder = new X265Encoder();
        try {
            assertEquals("false", encoder.getParameter(VideoEncoder.INTRA_REFRESH));
            encoder.setParameter(VideoEncoder.FRAMERATE, "10");
            encoder.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "1");
            encoder.setParameter(VideoEncoder.INTRA_REFRESH, "true");
            // Under the rate a key frame is several times a frame that refers to the last (x265 spends what it is
            // given: at 2.5 Mbit/s every frame of this picture takes 20 KB).
            encoder.setParameter(VideoEncoder.BITRATE, "300000");
            encoder.init(320, 240);
            RgbaCanvas canvas = new RgbaCanvas(320, 240);
            List<Integer> keys = new ArrayList<>();
            int largest = 0;
            int first = 0;
            for (int i = 0; i < 60; i++) {
                if (i == 45) {
                    encoder.requestKeyFrame();
                }
                VideoData frame = encoder.encode(paint(canvas, i));
                if (frame.keyFrame()) {
                    keys.add(i);
                }
                if (i == 0) {
                    first = frame.size();
                } else if (i != 45) {
                    largest = Math.max(largest, frame.size());
                }
            }
            assertEquals(List.of(0, 45), keys, "the first, and the one asked for (an IDR still)");
            assertTrue(largest < first / 2, "refreshed a column at a time: the largest frame after the first "
                    + largest + " bytes, the first (a key frame) " + first);
        } finally {
            encoder.close();
        }
    }

    @Test
    void withoutIntraRefreshAKeyFrameComesEachInterval() throws VideoEncoderException {
        VideoEncoder encoder = new X265Encoder();
        try {
            encoder.setParameter(VideoEncoder.FRAMERATE, "10");
            encoder.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "1");
            encoder.init(320, 240);
            RgbaCanvas canvas = new RgbaCanvas(320, 240);
            List<Integer> keys = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                if (encoder.encode(paint(canvas, i)).keyFrame()) {
                    keys.add(i);
                }
            }
            assertEquals(List.of(0, 10, 20), keys);
        } finally {
            encoder.close();
        }
    }

    private static RgbaCanvas paint(RgbaCanvas canvas, int frame) {
        for (int y = 0; y < canvas.resolutionY(); y++) {
            for (int x = 0; x < canvas.resolutionX(); x++) {
                canvas.setPixel(x, y, ((x + frame * 4) & 0xFF) << 24 | (y & 0xFF) << 16 | ((x * y) & 0xFF) << 8 | 0xFF);
            }
        }
        return canvas;
    }
}
