package io.rendercast.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link InputToPhoton} on frames made up here: 30 a second, decoded 100 ms after their timestamp. */
class InputToPhotonTest {

    private static final long START = 1_000_000;

    @Test
    void timesEachInputToTheFirstFrameShowingItsColourAfterTheInputBefore() {
        // Green from frame 10, magenta from 30, green again from 40: the third input, green, was sent while frames
        // still showed the first one's green (frame 30 is decoded at 1100 ms), and is timed to frame 40.
        List<Recolours.Input> inputs = List.of(new Recolours.Input(START + 200, "#00ff00"),
                new Recolours.Input(START + 700, "#ff00ff"), new Recolours.Input(START + 900, "#00ff00"));
        InputToPhoton.Latency latency = InputToPhoton.of(inputs, frames(10, 30, 40), decoded(200));
        assertEquals(3, latency.inputs());
        assertEquals(0, latency.missed());
        assertEquals(arrival(30) - (START + 700), latency.p50Millis(), 1e-9);
        assertEquals(arrival(40) - (START + 900), latency.p99Millis(), 1e-9);
    }

    @Test
    void missesAnInputTheNextOneOvertookBeforeTheFirstFrameDecoded() {
        // The player decodes from frame 25 on: the first input's green was gone by then, the second's magenta shows,
        // then the third's green from frame 35. Timing the first to frame 35 would shift every later input by two.
        List<Recolours.Input> inputs = List.of(new Recolours.Input(START + 200, "#00ff00"),
                new Recolours.Input(START + 600, "#ff00ff"), new Recolours.Input(START + 1000, "#00ff00"));
        InputToPhoton.Latency latency = InputToPhoton.of(inputs, frames(10, 20, 35),
                decoded(200).subList(25, 200));
        assertEquals(1, latency.missed());
        // 333 ms for the second, 267 for the third: the median of two is the higher
        assertEquals(arrival(25) - (START + 600), latency.p50Millis(), 1e-9);
        assertEquals(arrival(25) - (START + 600), latency.p99Millis(), 1e-9);
    }

    @Test
    void missesAnInputNoFrameShowsWithinTheWindow() {
        List<Recolours.Input> inputs = List.of(new Recolours.Input(START + 200, "#00ff00"),
                new Recolours.Input(START + 700, "#ff00ff"));
        InputToPhoton.Latency latency = InputToPhoton.of(inputs, frames(10, 200, 200), decoded(200));
        assertEquals(1, latency.missed());
        assertEquals(arrival(10) - (START + 200), latency.p50Millis(), 1e-9);
    }

    /** 200 frames: the initial colour, then green from {@code green}, magenta from {@code magenta}, green again. */
    private static List<RecordedPictures.Shown> frames(int green, int magenta, int greenAgain) {
        List<RecordedPictures.Shown> frames = new ArrayList<>();
        for (int n = 0; n < 200; n++) {
            boolean showsGreen = n >= green && n < magenta || n >= greenAgain;
            boolean showsMagenta = n >= magenta && n < greenAgain;
            frames.add(new RecordedPictures.Shown(n / 30.0, new int[] {showsGreen ? 700 : 0, showsMagenta ? 700 : 0}));
        }
        return frames;
    }

    /** The live decode's first {@code count} frames. */
    private static List<DecodeWatch.Decoded> decoded(int count) {
        List<DecodeWatch.Decoded> decoded = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            decoded.add(new DecodeWatch.Decoded(arrival(n), Math.round(n * 1000 / 30.0) / 1000.0, n == 0));
        }
        return decoded;
    }

    private static double arrival(int frame) {
        return START + frame * 1000 / 30.0 + 100;
    }
}
