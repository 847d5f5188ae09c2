package io.rendercast.encoder.avcodec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.Canvas;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import io.rendercast.video.VideoEncoderProvider;
import io.rendercast.video.VideoEncoders;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class X264EncoderTest {

    private VideoEncoder encoder;

    @BeforeEach
    void create() throws VideoEncoderException {
        encoder = new X264EncoderProvider().create();
    }

    @AfterEach
    void close() {
        encoder.close();
    }

    @Test
    void isFoundByServiceLoaderAndAvailable() throws VideoEncoderException {
        VideoEncoderProvider provider = VideoEncoders.select("h264");
        assertEquals("x264", provider.name());
        assertTrue(provider.availability().available(), provider.availability().reason());
        assertTrue(provider.availability().reason().contains("libx264"));
    }

    @Test
    void initReturnsSpsAndPpsAsAnnexB() throws VideoEncoderException {
        VideoData init = encoder.init(320, 240);
        List<Integer> types = nalTypes(init.toByteArray());
        assertTrue(types.contains(7), "SPS in init data, found NAL types " + types);
        assertTrue(types.contains(8), "PPS in init data, found NAL types " + types);
    }

    /** The SPS says the profile set: profile_idc 66 (with constraint_set1: constrained), 77 or 100. */
    @Test
    void theProfileSetIsTheOneTheSequenceHeaderNames() throws VideoEncoderException {
        assertEquals("high", encoder.getParameter(VideoEncoder.PROFILE));
        assertEquals(100, spsProfile(encoder.init(320, 240).toByteArray())[0]);
        for (String profile : List.of("baseline", "main")) {
            VideoEncoder other = new X264EncoderProvider().create();
            try {
                other.setParameter(VideoEncoder.PROFILE, profile);
                int[] sps = spsProfile(other.init(320, 240).toByteArray());
                if (profile.equals("baseline")) {
                    assertEquals(66, sps[0]);
                    assertTrue((sps[1] & 0x40) != 0, "constraint_set1_flag: constrained baseline, as WebRTC takes");
                } else {
                    assertEquals(77, sps[0]);
                }
                assertEquals(Reason.ALREADY_INITIALIZED,
                        assertThrows(VideoEncoderException.class, () -> other.setParameter(VideoEncoder.PROFILE,
                                "high")).reason());
            } finally {
                other.close();
            }
        }
        VideoEncoderException wrong = assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter(VideoEncoder.PROFILE, "extended"));
        assertTrue(wrong.getMessage().contains("baseline"), wrong.getMessage());
    }

    @Test
    void theRateBufferIsSecondsAtTheRate() throws VideoEncoderException {
        assertEquals("1", encoder.getParameter(VideoEncoder.RATE_BUFFER));
        encoder.setParameter(VideoEncoder.RATE_BUFFER, "0.25");
        encoder.init(320, 240);
        encoder.setParameter(VideoEncoder.RATE_BUFFER, "0.5"); // at the next change of the bit rate
        assertEquals("0.5", encoder.getParameter(VideoEncoder.RATE_BUFFER));
        for (String wrong : List.of("0", "11", "fast")) {
            VideoEncoderException e = assertThrows(VideoEncoderException.class,
                    () -> encoder.setParameter(VideoEncoder.RATE_BUFFER, wrong));
            assertTrue(e.getMessage().contains("0.01 to 10"), e.getMessage());
        }
    }

    /**
     * A rate buffer of one frame holds a hard frame (noise after a smooth picture) near one frame's share of the
     * rate, where a second of buffer lets it take many: the time that frame takes on a path as fast as the rate.
     */
    @Test
    void aRateBufferOfOneFrameHoldsAHardFrameNearOneFramesShare() throws VideoEncoderException {
        int share = 1_000_000 / 8 / 30;
        long oneFrame = hardFrameSize("0.034");
        long oneSecond = hardFrameSize("1");
        assertTrue(oneFrame < 2 * share, "a buffer of one frame: the hard frame took " + oneFrame + " bytes, "
                + "one frame's share is " + share);
        assertTrue(oneSecond > 2 * oneFrame, "a buffer of a second: " + oneSecond + " bytes, of one frame: "
                + oneFrame);
    }

    /** The size of a frame of noise after 60 smooth ones at 1 Mbit/s and 30 fps, with that rate buffer. */
    private static long hardFrameSize(String rateBuffer) throws VideoEncoderException {
        VideoEncoder x264 = new X264EncoderProvider().create();
        try {
            x264.setParameter(VideoEncoder.BITRATE, "1000000");
            x264.setParameter(VideoEncoder.FRAMERATE, "30");
            x264.setParameter(VideoEncoder.RATE_BUFFER, rateBuffer);
            x264.init(320, 240);
            RgbaCanvas canvas = new RgbaCanvas(320, 240);
            for (int i = 0; i < 60; i++) {
                x264.encode(paint(canvas, i));
            }
            return x264.encode(noise(canvas, new java.util.Random(7))).size();
        } finally {
            x264.close();
        }
    }

    /** The SPS's profile_idc and constraint flags, after its NAL header. */
    private static int[] spsProfile(byte[] annexB) {
        for (int i = 0; i + 5 < annexB.length; i++) {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1 && (annexB[i + 3] & 0x1F) == 7) {
                return new int[] {annexB[i + 4] & 0xFF, annexB[i + 5] & 0xFF};
            }
        }
        throw new AssertionError("no SPS in the init data");
    }

    @Test
    void firstFrameIsKeyAndLaterOnesAreNotUntilRequested() throws VideoEncoderException {
        encoder.init(320, 240);
        RgbaCanvas canvas = new RgbaCanvas(320, 240);
        VideoData first = encoder.encode(paint(canvas, 0));
        assertTrue(first.keyFrame());
        assertTrue(nalTypes(first.toByteArray()).contains(5), "IDR slice in first frame");
        VideoData second = encoder.encode(paint(canvas, 1));
        assertFalse(second.isEmpty(), "zero latency: every frame comes out at once");
        assertFalse(second.keyFrame());
        encoder.requestKeyFrame();
        VideoData forced = encoder.encode(paint(canvas, 2));
        assertTrue(forced.keyFrame());
        assertTrue(nalTypes(forced.toByteArray()).contains(5), "a requested key frame is an IDR");
        assertFalse(encoder.encode(paint(canvas, 3)).keyFrame());
    }

    @Test
    void keyFramesComeEveryIntervalOrOnlyWhenAskedWithIntervalZero() throws VideoEncoderException {
        assertEquals("2", encoder.getParameter(VideoEncoder.KEYFRAME_INTERVAL));
        encoder.setParameter(VideoEncoder.FRAMERATE, "10");
        encoder.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "1");
        assertEquals(List.of(0, 10, 20), keyFramesIn(encoder, 30, -1));

        VideoEncoder none = new X264EncoderProvider().create();
        try {
            none.setParameter(VideoEncoder.FRAMERATE, "10");
            none.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "0");
            assertEquals(List.of(0, 45), keyFramesIn(none, 90, 45), "the first, and the one asked for");
            assertEquals(Reason.ALREADY_INITIALIZED, assertThrows(VideoEncoderException.class,
                    () -> none.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "2")).reason());
        } finally {
            none.close();
        }
        VideoEncoder other = new X264EncoderProvider().create();
        try {
            VideoEncoderException e = assertThrows(VideoEncoderException.class,
                    () -> other.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "-1"));
            assertEquals(Reason.INVALID_PARAMETERS, e.reason());
            assertTrue(e.getMessage().contains("keyframe-interval"), e.getMessage());
        } finally {
            other.close();
        }
    }

    @Test
    void withIntraRefreshOnlyTheFirstAndTheAskedForAreKeyFramesAndNoFrameIsAKeyFramesSize()
            throws VideoEncoderException {
        assertEquals("false", encoder.getParameter(VideoEncoder.INTRA_REFRESH));
        encoder.setParameter(VideoEncoder.FRAMERATE, "10");
        encoder.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "1");
        encoder.setParameter(VideoEncoder.INTRA_REFRESH, "true");
        encoder.init(320, 240);
        RgbaCanvas canvas = new RgbaCanvas(320, 240);
        List<Integer> keys = new java.util.ArrayList<>();
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

        VideoEncoder refreshing = new X264EncoderProvider().create();
        try {
            refreshing.setParameter(VideoEncoder.INTRA_REFRESH, "true");
            assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                    () -> refreshing.setParameter(VideoEncoder.KEYFRAME_INTERVAL, "0")).reason());
            assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                    () -> refreshing.setParameter(VideoEncoder.INTRA_REFRESH, "yes")).reason());
        } finally {
            refreshing.close();
        }
        VideoEncoder sorenson = new SorensonEncoderProvider().create();
        try {
            VideoEncoderException e = assertThrows(VideoEncoderException.class,
                    () -> sorenson.setParameter(VideoEncoder.INTRA_REFRESH, "true"));
            assertTrue(e.getMessage().contains("unknown parameter"), e.getMessage());
        } finally {
            sorenson.close();
        }
    }

    /** Which of {@code frames} frames come out as key frames, one asked for before frame {@code askAt}. */
    private static List<Integer> keyFramesIn(VideoEncoder encoder, int frames, int askAt)
            throws VideoEncoderException {
        encoder.init(320, 240);
        RgbaCanvas canvas = new RgbaCanvas(320, 240);
        List<Integer> keys = new java.util.ArrayList<>();
        for (int i = 0; i < frames; i++) {
            if (i == askAt) {
                encoder.requestKeyFrame();
            }
            if (encoder.encode(paint(canvas, i)).keyFrame()) {
                keys.add(i);
            }
        }
        return keys;
    }

    @Test
    void rejectsBadResolutions() {
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.init(0, 240)).reason());
        assertEquals(Reason.UNSUPPORTED_RESOLUTION, assertThrows(VideoEncoderException.class,
                () -> encoder.init(321, 240)).reason());
        assertEquals(Reason.UNSUPPORTED_RESOLUTION, assertThrows(VideoEncoderException.class,
                () -> encoder.init(16384, 240)).reason());
    }

    @Test
    void rejectsSecondInit() throws VideoEncoderException {
        encoder.init(64, 64);
        assertEquals(Reason.ALREADY_INITIALIZED, assertThrows(VideoEncoderException.class,
                () -> encoder.init(64, 64)).reason());
    }

    @Test
    void checksParameters() throws VideoEncoderException {
        encoder.setParameter(VideoEncoder.BITRATE, "1000000");
        encoder.setParameter(VideoEncoder.PRESET, "ultrafast");
        assertEquals("1000000", encoder.getParameter(VideoEncoder.BITRATE));
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter(VideoEncoder.BITRATE, "fast")).reason());
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter(VideoEncoder.PRESET, "warp")).reason());
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter("quality", "1")).reason());
        encoder.init(64, 64);
        assertEquals(Reason.ALREADY_INITIALIZED, assertThrows(VideoEncoderException.class,
                () -> encoder.setParameter(VideoEncoder.PRESET, "fast")).reason());
        encoder.setParameter(VideoEncoder.BITRATE, "500000"); // allowed while running
    }

    @Test
    void rejectsCanvasesItCannotTake() throws VideoEncoderException {
        assertEquals(Reason.INVALID_PARAMETERS, assertThrows(VideoEncoderException.class,
                () -> encoder.encode(new RgbaCanvas(64, 64))).reason());
        encoder.init(64, 64);
        assertEquals(Reason.UNSUPPORTED_CANVAS, assertThrows(VideoEncoderException.class,
                () -> encoder.encode(new RgbaCanvas(32, 32))).reason());
        CudaCanvas gpu = new CudaCanvas() {
            public int resolutionX() { return 64; }
            public int resolutionY() { return 64; }
            public String format() { return "NV12"; }
            public long devicePointer() { return 0; }
            public long pitch() { return 64; }
            public long cudaContext() { return 0; }
        };
        assertEquals(Reason.LIBRARY_FAILURE, assertThrows(VideoEncoderException.class,
                () -> encoder.encode(gpu)).reason());
    }

    @Test
    void closeIsIdempotent() throws VideoEncoderException {
        encoder.init(64, 64);
        encoder.encode(new RgbaCanvas(64, 64));
        encoder.close();
        assertFalse(encoder.isInitialized());
        assertArrayEquals(new byte[0], encoder.close().toByteArray());
    }

    /**
     * A rate lowered while it encodes holds from the next second on. FFmpeg gives libx264 the lowered maximum and
     * average one reconfiguration each; the encoder lowers the maximum a frame after the average, so that the
     * maximum never falls below the average (libx264 warned at every such change), and both must take hold.
     */
    @Test
    void aBitRateLoweredWhileItEncodesHolds() throws VideoEncoderException {
        encoder.setParameter(VideoEncoder.BITRATE, "2000000");
        encoder.setParameter(VideoEncoder.FRAMERATE, "30");
        encoder.init(320, 240);
        RgbaCanvas canvas = new RgbaCanvas(320, 240);
        java.util.Random random = new java.util.Random(7);
        long before = 0;
        for (int i = 0; i < 60; i++) {
            long size = encoder.encode(noise(canvas, random)).size();
            before += i >= 30 ? size : 0;
        }
        encoder.setParameter(VideoEncoder.BITRATE, "200000");
        long after = 0;
        for (int i = 0; i < 60; i++) {
            long size = encoder.encode(noise(canvas, random)).size();
            after += i >= 30 ? size : 0;
        }
        // A second each: about 250 KB at 2 Mbit/s, 25 KB at 200 kbit/s.
        assertTrue(before > 150_000, "noise takes the rate it is given: " + before + " bytes in a second");
        assertTrue(after < 50_000, "a second at 200 kbit/s took " + after + " bytes (at 2 Mbit/s: " + before + ")");
    }

    private static Canvas noise(RgbaCanvas canvas, java.util.Random random) {
        for (int y = 0; y < canvas.resolutionY(); y++) {
            for (int x = 0; x < canvas.resolutionX(); x++) {
                canvas.setPixel(x, y, random.nextInt() | 0xFF);
            }
        }
        return canvas;
    }

    private static Canvas paint(RgbaCanvas canvas, int frame) {
        for (int y = 0; y < canvas.resolutionY(); y++) {
            for (int x = 0; x < canvas.resolutionX(); x++) {
                canvas.setPixel(x, y, ((x + frame * 4) & 0xFF) << 24 | (y & 0xFF) << 16 | 0x80FF);
            }
        }
        return canvas;
    }

    static List<Integer> nalTypes(byte[] annexB) {
        java.util.ArrayList<Integer> types = new java.util.ArrayList<>();
        for (int i = 0; i + 3 < annexB.length; i++) {
            if (annexB[i] == 0 && annexB[i + 1] == 0 && annexB[i + 2] == 1) {
                types.add(annexB[i + 3] & 0x1F);
                i += 2;
            }
        }
        return types;
    }
}
