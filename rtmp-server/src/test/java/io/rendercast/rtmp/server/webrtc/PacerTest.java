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
 * burst's credit, and no burst is over the byte cap; the media's rate is its own from its first packets.
 */
class PacerTest {

    private static final int PACKET = 1_100;
    /** The packets that fit the byte cap on a burst, and the one that takes the budget below 0. */
    private static final int MOST_IN_A_BURST = Pacer.MOST_BURST_BYTES / PACKET + 1;

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
        assertEquals(9, sentAtOnce(9), "a 10 KB frame within one burst goes at once");
    }

    @Test
    void aKeyFrameIsSpreadAtTheMediaRateTimesTwoAndAHalf() {
        playForASecond(9);
        // 66 KB. With it the media's average is some 357 KB/s: paced at about 890 KB/s, 32 KB (the byte cap) at once
        int first = sentAtOnce(60);
        assertTrue(first >= 20 && first <= MOST_IN_A_BURST, "the first burst is 20 to " + MOST_IN_A_BURST
                + " packets, sent " + first);
        int ms = 0;
        while (sent.size() < 60 && ms < 500) {
            advance(Pacer.TICK_MILLIS);
            ms += Pacer.TICK_MILLIS;
        }
        assertEquals(60, sent.size(), "all of it within 500 ms");
        // the other 33 KB or so at about 890 KB/s: some 37 ms, in ticks of 5 ms
        assertTrue(ms >= 20 && ms <= 80, "the rest took " + ms + " ms");
        assertEquals(0, droppedTold);
    }

    @Test
    void idleTimeEarnsOneBurstAtMost() {
        pacer.target(2_500_000); // paced at 6.25 Mbit/s at least: 31 KB a burst
        playForASecond(9);
        advance(1_000); // a still scene: nothing to send for a second, which would be 780 KB of credit
        int first = sentAtOnce(60);
        assertTrue(first >= 25 && first <= 30, "after a second idle one burst, sent " + first);
    }

    @Test
    void noBurstIsOverTheByteCapHoweverHighTheRate() {
        pacer.target(8_000_000); // 40 ms of 20 Mbit/s would be 100 KB
        int first = sentAtOnce(90);
        assertTrue(first <= MOST_IN_A_BURST, "sent " + first + " packets at once");
    }

    @Test
    void framesWithNoPacketsDoNotStartTheMediasRate() {
        for (int i = 0; i < 30; i++) { // a second of frames before DTLS is done: RtpOut makes no packets of them
            pacer.add(List.of());
            advance(33);
        }
        for (int i = 0; i < 6; i++) { // then 200 ms of a stream at 2.4 Mbit/s
            pacer.add(packets(9));
            advance(33);
        }
        assertEquals(9, sentAtOnce(9), "the rate is the media's own from its first packets");
    }

    @Test
    void aStreamsFirstKeyFrameIsPacedAtTheTargetNotAtTheLeastRate() {
        pacer.target(2_500_000); // 6.25 Mbit/s paced: 31 KB a burst
        int first = sentAtOnce(33); // a first key frame of 36 KB, with no media rate known yet (at 1 Mbit/s: 5 KB)
        assertTrue(first >= 25, "the first burst at the target's pace, sent " + first);
        advance(15);
        assertEquals(33, sent.size(), "and the rest within 15 ms");
    }

    @Test
    void withNoTargetTheFirstSecondIsPacedAtTheMediasOwnRate() {
        for (int i = 0; i < 6; i++) { // 200 ms of a stream at 2.4 Mbit/s
            pacer.add(packets(9));
            advance(33);
        }
        assertEquals(9, sentAtOnce(9), "nothing waits: the rate is the stream's since its first frame");
        assertEquals(0, pacer.waitingBytes());
    }

    /** A frame of {@code packets} packets added now: how many of them the pacer sends at once. */
    private int sentAtOnce(int packets) {
        sent.clear();
        pacer.add(packets(packets));
        loop.runPendingTasks();
        return sent.size();
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
