package io.rendercast.benchmarks;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A player's input, sent through an {@link InputRelay}: the demo's {@code setColor} call, every 400 to 700 ms at
 * random, alternating two colours that nothing else in the demo's picture comes near (its gradient stays within red
 * 20 to 84, green 40 to 100, blue 90 to 170; the bar, the digits and the frame code are grey, white, yellow and
 * black), so that the first frame showing one is the first that input reached.
 */
final class Recolours {

    static final List<String> COLOURS = List.of("#00ff00", "#ff00ff");
    /**
     * The chunk stream id of the calls: one that ffmpeg never uses (it sends on 2, 3, 4, 6 and 8), so that the
     * server keeps their header state apart from ffmpeg's; under 64, so that the basic header is one byte.
     */
    static final int CHUNK_STREAM_ID = 60;
    private static final int COMMAND_AMF0 = 20;
    private static final long LEAST_GAP_MILLIS = 400;
    private static final long MOST_GAP_MILLIS = 700;

    /** One input: when it was handed to the relay (wall clock, ms, as {@link DecodeWatch}'s) and its colour. */
    record Input(long sentMillis, String colour) {
    }

    private Recolours() {
    }

    /**
     * The call {@code setColor("#rrggbb")} with transaction id 0 (no answer wanted), on message stream 0: about 30
     * bytes, so that one format 0 chunk carries it whatever chunk size the player set.
     */
    static byte[] setColor(String colour) {
        return ClientCommands.chunk(CHUNK_STREAM_ID, COMMAND_AMF0, 0,
                ClientCommands.amf("setColor", 0.0, null, colour), new byte[0]);
    }

    /** Sends inputs through {@code relay} for {@code millis}; returns them in the order sent. */
    static List<Input> send(InputRelay relay, long millis) throws IOException, InterruptedException {
        List<Input> inputs = new ArrayList<>();
        long end = System.nanoTime() + millis * 1_000_000;
        while (true) {
            long gap = ThreadLocalRandom.current().nextLong(LEAST_GAP_MILLIS, MOST_GAP_MILLIS + 1);
            if (System.nanoTime() + gap * 1_000_000 > end) {
                break;
            }
            Thread.sleep(gap);
            String colour = COLOURS.get(inputs.size() % COLOURS.size());
            inputs.add(new Input(System.currentTimeMillis(), colour));
            relay.inject(setColor(colour));
        }
        return inputs;
    }
}
