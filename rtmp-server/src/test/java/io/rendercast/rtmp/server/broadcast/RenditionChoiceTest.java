package io.rendercast.rtmp.server.broadcast;

import org.junit.jupiter.api.Test;
import static io.rendercast.rtmp.server.broadcast.RenditionChoice.HIGHER;
import static io.rendercast.rtmp.server.broadcast.RenditionChoice.LOWER;
import static io.rendercast.rtmp.server.broadcast.RenditionChoice.STAY;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RenditionChoiceTest {

    private static final long MS = 1_000_000L;
    private static final long S = 1_000 * MS;

    private final RenditionChoice choice = new RenditionChoice();

    /** Feeds a queue delay every 100 ms from {@code from} for {@code seconds}; the first step not STAY, with when. */
    private long[] run(long from, double seconds, long queue, boolean lower, boolean higher) {
        for (long t = from; t < from + (long) (seconds * S); t += 100 * MS) {
            int step = choice.choose(t, queue, lower, higher);
            if (step != STAY) {
                choice.moved(t, step);
                return new long[] {step, t};
            }
        }
        return new long[] {STAY, from + (long) (seconds * S)};
    }

    @Test
    void aQueueOverThreeTenthsOfASecondMovesDownAndAShortOneDoesNot() {
        assertEquals(STAY, run(0, 5, 250 * MS, true, false)[0]);
        assertEquals(LOWER, run(5 * S, 1, 350 * MS, true, false)[0]);
    }

    @Test
    void withNoLowerRenditionAQueueMovesNoOne() {
        assertEquals(STAY, run(0, 5, 900 * MS, false, false)[0]);
    }

    @Test
    void theQueueLeftByTheRenditionBeforeDoesNotMoveAPlayerTwoRungs() {
        long[] down = run(0, 1, 500 * MS, true, false);
        assertEquals(LOWER, down[0]);
        long[] again = run(down[1] + 100 * MS, 1.5, 500 * MS, true, true);
        assertEquals(STAY, again[0], "within the hold after a move");
        assertEquals(LOWER, run(again[1], 1, 500 * MS, true, true)[0], "after the hold, a queue that stays moves it");
    }

    @Test
    void aQuietPathTriesTheRenditionAboveAfterTenSecondsAndWaitsTwiceAsLongAfterEachFailedTry() {
        long[] down = run(0, 1, 500 * MS, true, false);
        long[] up = run(down[1], 30, 10 * MS, true, true);
        assertEquals(HIGHER, up[0]);
        assertEquals(10.0 + 2.0, (up[1] - down[1]) / 1e9, 0.3, "hold, then ten quiet seconds");

        long[] failed = run(up[1], 5, 500 * MS, true, false); // the try up queues: back down
        assertEquals(LOWER, failed[0]);
        long[] second = run(failed[1], 60, 10 * MS, true, true);
        assertEquals(HIGHER, second[0]);
        assertEquals(20.0 + 2.0, (second[1] - failed[1]) / 1e9, 0.3, "the wait doubled");

        long[] queueBreaksQuiet = run(second[1], 5, 500 * MS, true, false);
        assertEquals(LOWER, queueBreaksQuiet[0]);
        run(queueBreaksQuiet[1], 30, 10 * MS, true, false); // no rendition above: it stays however quiet
        assertEquals(40 * S, choice.waitBeforeTryNanos());
    }

    @Test
    void aMoveDownLongAfterATryUpStartsTheWaitAfresh() {
        long[] down = run(0, 1, 500 * MS, true, false);
        long[] up = run(down[1], 30, 10 * MS, true, true);
        assertEquals(HIGHER, up[0]);
        run(up[1], 60, 10 * MS, true, false); // a minute on the higher rendition without a queue
        assertEquals(LOWER, run(up[1] + 60 * S, 1, 500 * MS, true, false)[0]);
        assertEquals(10 * S, choice.waitBeforeTryNanos());
    }

    @Test
    void aQueueBetweenQuietAndDownRestartsTheQuietTime() {
        long[] down = run(0, 1, 500 * MS, true, false);
        run(down[1], 8, 10 * MS, true, true); // hold plus six quiet seconds
        long[] broken = run(down[1] + 8 * S, 0.5, 100 * MS, true, true);
        assertEquals(STAY, broken[0]);
        long[] up = run(broken[1], 30, 10 * MS, true, true);
        assertEquals(HIGHER, up[0]);
        assertEquals(10.0, (up[1] - broken[1]) / 1e9, 0.3);
    }
}
