package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The pacer on an event loop whose clock the test moves: an ordinary frame leaves whole, at once; a key frame is
 * spread at 2.5 times the media's rate, or the congestion controller's target; idle time earns no more than one
 * burst's credit.
 */
class PacerTest {

    private static final int PACKET = 1_100;

    private EmbeddedChannel loop;
    private final List<byte[]> sent = new ArrayList<>();
    private long droppedTold;
    private Pacer pacer;

    @BeforeEach
    void start() {
        loop = new EmbeddedChannel();
        loop.freezeTime();
        pacer = new Pacer(loop.eventLoop(), sent::add, n -> droppedTold += n);
    }

    @AfterEach
    void stop() {
        pacer.close();
        loop.finishAndReleaseAll();
    }

    @Test
    void anOrdinaryFrameLeavesWholeAtOnce() {
        playForASecond(9); // about 2.4 Mbit/s: paced at 6 Mbit/s, 30 KB a burst
        sent.clear();
        pacer.add(packets(9));
        loop.runPendingTasks();
        assertEquals(9, sent.size(), "a 10 KB frame within one burst goes at once");
    }

    @Test
    void aKeyFrameIsSpreadAtTheMediaRateTimesTwoAndAHalf() {
        playForASecond(9);
        sent.clear();
        pacer.add(packets(60)); // 66 KB
        loop.runPendingTasks();
        int first = sent.size();
        assertTrue(first >= 20 && first <= 35, "the first burst is about 40 ms at 6 Mbit/s (30 KB), sent " + first);
        int ms = 0;
        while (sent.size() < 60 && ms < 500) {
            advance(Pacer.TICK_MILLIS);
            ms += Pacer.TICK_MILLIS;
        }
        assertEquals(60, sent.size(), "all of it within 500 ms");
        // 36 KB more at about 750 KB/s: some 48 ms, in ticks of 5 ms
        assertTrue(ms >= 35 && ms <= 70, "the rest took " + ms + " ms");
        assertEquals(0, droppedTold);
    }

    @Test
    void idleTimeEarnsOneBurstAtMost() {
        playForASecond(9);
        advance(1_000); // a still scene: nothing to send for a second
        sent.clear();
        pacer.add(packets(60));
        loop.runPendingTasks();
        assertTrue(sent.size() <= 35, "after a second idle still one burst, sent " + sent.size());
    }

    @Test
    void aStreamsFirstKeyFrameIsPacedAtTheTargetNotAtTheLeastRate() {
        pacer.target(2_500_000); // 6.25 Mbit/s paced: 31 KB a burst
        pacer.add(packets(33)); // a first key frame of 36 KB, with no media rate known yet
        loop.runPendingTasks();
        assertTrue(sent.size() >= 25, "the first burst at the target's pace, sent " + sent.size());
        advance(15);
        assertEquals(33, sent.size(), "and the rest within 15 ms");
    }

    @Test
    void withNoTargetTheFirstSecondIsPacedAtTheMediasOwnRate() {
        for (int i = 0; i < 6; i++) { // 200 ms of a stream at 2.4 Mbit/s
            pacer.add(packets(9));
            advance(33);
        }
        sent.clear();
        pacer.add(packets(9));
        loop.runPendingTasks();
        assertEquals(9, sent.size(), "nothing waits: the rate is the stream's since its first frame");
        assertEquals(0, pacer.waitingBytes());
    }

    /** 30 frames of {@code packets} packets, 33 ms apart, each sent: the media's rate known. */
    private void playForASecond(int packets) {
        for (int i = 0; i < 30; i++) {
            pacer.add(packets(packets));
            advance(33);
        }
    }

    private void advance(int millis) {
        for (int i = 0; i < millis; i++) {
            loop.advanceTimeBy(1, TimeUnit.MILLISECONDS);
            loop.runPendingTasks();
        }
    }

    private static List<byte[]> packets(int count) {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            packets.add(new byte[PACKET]);
        }
        return packets;
    }
}
