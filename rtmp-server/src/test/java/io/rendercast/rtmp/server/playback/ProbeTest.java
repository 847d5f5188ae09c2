package io.rendercast.rtmp.server.playback;

import org.junit.jupiter.api.Test;
import static io.rendercast.rtmp.server.playback.Probe.Verdict.CARRIED;
import static io.rendercast.rtmp.server.playback.Probe.Verdict.NOT_CARRIED;
import static io.rendercast.rtmp.server.playback.Probe.Verdict.UNDECIDED;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** A probe of 8 % from 1.4 Mbit/s, begun at 0 with the queue standing 25 ms, judged a frame at a time. */
class ProbeTest {

    private static final long MS = 1_000_000;
    private static final long BEFORE = 1_400_000;
    private static final long PROBE = 1_512_000;
    private static final long QUEUE = 25 * MS;

    private final Probe probe = new Probe(0, BEFORE, BEFORE, QUEUE, BEFORE);

    @Test
    void aQueueThatStandsHigherEndsItAtOnce() {
        assertEquals(UNDECIDED, probe.judge(500 * MS, PROBE, BEFORE, QUEUE + 10 * MS, BEFORE));
        assertEquals(NOT_CARRIED, probe.judge(533 * MS, PROBE, BEFORE, QUEUE + 11 * MS, BEFORE));
    }

    @Test
    void aProbeBegunOnADrainedQueueIsJudgedFromWhereAFullPathStands() {
        Probe afterADrain = new Probe(0, BEFORE, BEFORE, 0, BEFORE);
        assertEquals(UNDECIDED, afterADrain.judge(500 * MS, PROBE, BEFORE, QUEUE, BEFORE), "back to 25 ms");
        assertEquals(NOT_CARRIED, afterADrain.judge(533 * MS, PROBE, BEFORE,
                (Probe.FULL_PATH_MILLIS + 11) * MS, BEFORE));
    }

    @Test
    void carriedOnlyOnceTheEncoderMadeItsBitsForASecondAndThePlayerReceivedThem() {
        // the player receives more at once, before the encoder has made the probe's rate: not yet
        assertEquals(UNDECIDED, probe.judge(2_000 * MS, PROBE, 1_460_000, QUEUE, 1_420_000));
        // made (a quarter of the gain: 2 % more) from 2.5 s on
        assertEquals(UNDECIDED, probe.judge(2_500 * MS, PROBE, 1_460_000, QUEUE, 1_430_000));
        assertEquals(UNDECIDED, probe.judge(3_400 * MS, PROBE, 1_460_000, QUEUE + 5 * MS, 1_480_000));
        assertEquals(CARRIED, probe.judge(3_500 * MS, PROBE, 1_460_000, QUEUE + 5 * MS, 1_480_000));
    }

    @Test
    void madeButNotReceivedIsNotCarried() {
        probe.judge(2_000 * MS, PROBE, BEFORE, QUEUE, 1_480_000);
        assertEquals(NOT_CARRIED, probe.judge(3_000 * MS, PROBE, 1_410_000, QUEUE, 1_480_000));
    }

    @Test
    void bitsNeverMadeEndItAfterSixSeconds() {
        assertEquals(UNDECIDED, probe.judge(5_900 * MS, PROBE, 1_460_000, QUEUE, 1_410_000));
        assertEquals(NOT_CARRIED, probe.judge(Probe.LONGEST_SECONDS * 1_000 * MS, PROBE, 1_460_000, QUEUE, 1_410_000));
    }
}
