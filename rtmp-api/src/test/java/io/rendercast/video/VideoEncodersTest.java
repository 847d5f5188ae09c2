package io.rendercast.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.video.VideoEncoderException.Reason;
import io.rendercast.video.VideoEncoderProvider.Availability;
import java.util.List;
import org.junit.jupiter.api.Test;

class VideoEncodersTest {

    private record Fake(String name, String codec, int priority, Availability availability)
            implements VideoEncoderProvider {
        @Override
        public VideoEncoder create() {
            throw new UnsupportedOperationException("a fake makes no encoders");
        }
    }

    private static final Fake GPU_UNAVAILABLE = new Fake("nvenc", "h264", 20,
            Availability.unavailable(Reason.NO_DEVICE, "no NVENC engine on NVIDIA H100"));
    private static final Fake GPU_AVAILABLE = new Fake("nvenc", "h264", 20, Availability.available("NVENC on GPU 0"));
    private static final Fake CPU = new Fake("x264", "h264", 10, Availability.available("libx264 on the CPU"));
    private static final Fake OTHER_CODEC = new Fake("sorenson", "sorenson", 30, Availability.available("flv"));

    @Test
    void autoPicksTheBestAvailableAndSaysWhy() throws VideoEncoderException {
        VideoEncoders.Choice fallback = VideoEncoders.choose("h264", "auto", List.of(CPU, GPU_UNAVAILABLE, OTHER_CODEC));
        assertEquals(CPU, fallback.provider());
        assertTrue(fallback.why().contains("auto chose x264") && fallback.why().contains("no NVENC engine"),
                fallback.why());
        assertEquals(GPU_AVAILABLE, VideoEncoders.select("h264", "auto", List.of(CPU, GPU_AVAILABLE)));
    }

    @Test
    void aProviderChosenByNameThatCannotRunFailsWithItsReason() {
        VideoEncoderException e = assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("h264", "nvenc", List.of(CPU, GPU_UNAVAILABLE)));
        assertEquals(Reason.NO_DEVICE, e.reason());
        assertTrue(e.getMessage().contains("no NVENC engine"), e.getMessage());
    }

    @Test
    void aNameAppliesToItsOwnCodecOnly() throws VideoEncoderException {
        assertEquals(OTHER_CODEC, VideoEncoders.select("sorenson", "x264", List.of(CPU, OTHER_CODEC)));
    }

    @Test
    void namesWhatIsMissing() {
        assertEquals(Reason.NO_PROVIDER, assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("h264", "qsv", List.of(CPU))).reason());
        assertEquals(Reason.NO_PROVIDER, assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("vp6", "auto", List.of(CPU))).reason());
        VideoEncoderException none = assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("h264", "auto", List.of(GPU_UNAVAILABLE)));
        assertEquals(Reason.NO_DEVICE, none.reason());
    }

    @Test
    void aProviderOfRendercastsOwnThatIsMissingSaysWhichArtifactBringsIt() {
        VideoEncoderException nvenc = assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("h264", "nvenc", List.of(CPU)));
        assertTrue(nvenc.getMessage().contains("'nvenc' comes with io.rendercast:encoder-nvenc"), nvenc.getMessage());
        VideoEncoderException none = assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("h264", "auto", List.of()));
        assertTrue(none.getMessage().contains("add io.rendercast:encoder-software"), none.getMessage());
        VideoEncoderException typo = assertThrows(VideoEncoderException.class,
                () -> VideoEncoders.select("h264", "x246", List.of(CPU)));
        assertTrue(!typo.getMessage().contains("comes with") && typo.getMessage().contains("found: x264"),
                typo.getMessage());
    }
}
