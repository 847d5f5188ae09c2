package io.rendercast.rtmp.server.transport;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which count of bytes received a viewer's estimate takes: its own acknowledgements, or its TCP's. */
class AcknowledgedBytesTest {

    private static final int WINDOW = 32 << 10;

    @Test
    void eitherWhereOnlyOneIsKnown() {
        assertEquals(-1, ChannelTransport.acknowledged(-1, -1, WINDOW));
        assertEquals(500_000, ChannelTransport.acknowledged(-1, 500_000, WINDOW));
        assertEquals(400_000, ChannelTransport.acknowledged(400_000, -1, WINDOW));
    }

    @Test
    void theFinerTcpCountWhileThePlayerKeepsUpWithIt() {
        assertEquals(500_000, ChannelTransport.acknowledged(500_000 - WINDOW, 500_000, WINDOW));
    }

    @Test
    void atMostTwoWindowsAheadOfThePlayersCountWhenSomethingBetweenHoldsMore() {
        assertEquals(300_000 + 2 * WINDOW, ChannelTransport.acknowledged(300_000, 300_000 + 3 * WINDOW, WINDOW));
    }

    @Test
    void thePlayersCountWhereNoWindowWasAsked() {
        assertEquals(300_000, ChannelTransport.acknowledged(300_000, 300_100, 0));
    }

    /**
     * Beside the server TCP's peer may be a relay, whose TCP acknowledges what still waits in its queue: a player that
     * acknowledges each message is taken at its word there, one that acknowledges a window at a time is not; further
     * away, TCP's count is the finer.
     */
    @Test
    void besideTheServerThePlayersCountWhereItAcknowledgesEachMessage() {
        TcpInfo.Reading relay = new TcpInfo.Reading(300, 300_000 + 3 * WINDOW, -1, 40, -1, true);
        assertEquals(300_000, ChannelTransport.acknowledged(300_000, true, relay, WINDOW));
        assertEquals(300_000 + 2 * WINDOW, ChannelTransport.acknowledged(300_000, false, relay, WINDOW));
        assertEquals(300_000 + 3 * WINDOW, ChannelTransport.acknowledged(-1, true, relay, WINDOW), "no word yet");
        TcpInfo.Reading far = new TcpInfo.Reading(105_000, 300_000 + WINDOW, -1, 40, 25_000, false);
        assertEquals(300_000 + WINDOW, ChannelTransport.acknowledged(300_000, true, far, WINDOW));
    }

    /**
     * TCP's round trips time the queue only where its count is the one taken: where the player's is, something
     * between holds bytes (a relay TCP sees instead of the player) and the queue beyond it is not in them.
     */
    @Test
    void tcpTimesTheQueueOnlyWhereItsCountIsTaken() {
        TcpInfo.Reading tcp = new TcpInfo.Reading(105_000, 300_000 + 3 * WINDOW, -1, 40, 25_000, false);
        assertEquals(25_000, ChannelTransport.queueTimedByTcp(
                ChannelTransport.acknowledged(300_000 + 2 * WINDOW, tcp.bytesAcknowledged(), WINDOW), tcp));
        assertEquals(-1, ChannelTransport.queueTimedByTcp(
                ChannelTransport.acknowledged(300_000, tcp.bytesAcknowledged(), WINDOW), tcp));
        assertEquals(-1, ChannelTransport.queueTimedByTcp(-1, TcpInfo.Reading.UNKNOWN));
    }

    /** The player's count lags, then catches up a window at a time: what the estimate takes never goes back. */
    @Test
    void neverGoesBack() {
        long last = -1;
        long player = 0;
        for (long tcp = 0; tcp < 2_000_000; tcp += 1460) {
            if (tcp - player > 5 * WINDOW || (tcp / 7_000) % 3 == 0 && tcp - player >= WINDOW) {
                player += WINDOW; // a window at a time, sometimes late
            }
            long taken = ChannelTransport.acknowledged(player, tcp, WINDOW);
            assertTrue(taken >= last, "went back from " + last + " to " + taken);
            last = taken;
        }
    }
}
