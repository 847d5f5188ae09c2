package io.rendercast.linkemulator;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each packet's fate on one way of the packet link: lost, dropped at a full queue, or due after rate and delay. */
class PacketPathTest {

    private static final long MS = 1_000_000;

    @Test
    void anUncappedPacketArrivesHalfTheRoundTripLater() {
        PacketPath path = new PacketPath(true, 1);
        assertEquals(1_000 * MS + 40 * MS, path.arrival(1500, 1_000 * MS, LinkConditions.of(0, 80)));
    }

    @Test
    void packetsWaitTheirTurnAtTheRateThenTheDelay() {
        PacketPath path = new PacketPath(true, 1);
        LinkConditions link = LinkConditions.of(1.2, 80); // 1,500 bytes take 10 ms
        assertEquals(10 * MS + 40 * MS, path.arrival(1500, 0, link));
        assertEquals(20 * MS + 40 * MS, path.arrival(1500, 0, link));
        // one that comes after the link went idle starts at once
        assertEquals(100 * MS + 10 * MS + 40 * MS, path.arrival(1500, 100 * MS, link));
    }

    @Test
    void theUncappedWayIsNotRateLimited() {
        PacketPath up = new PacketPath(false, 1);
        LinkConditions link = LinkConditions.of(1.2, 80);
        assertEquals(40 * MS, up.arrival(1500, 0, link));
        assertEquals(40 * MS, up.arrival(1500, 0, link));
    }

    @Test
    void aFullRouterQueueDropsWhatComesNext() {
        PacketPath path = new PacketPath(true, 1);
        LinkConditions link = new LinkConditions(1_200_000, Duration.ofMillis(80), 6000);
        for (int i = 0; i < 4; i++) {
            assertTrue(path.arrival(1500, 0, link) > 0, "packet " + i + " fits in 6,000 bytes");
        }
        assertEquals(-1, path.arrival(1500, 0, link));
        assertEquals(1, path.overflowed());
        // once the link has sent one, there is room for one more
        assertTrue(path.arrival(1500, 10 * MS, link) > 0);
    }

    @Test
    void aLossyLinkLosesAboutItsShare() {
        PacketPath path = new PacketPath(false, 7);
        LinkConditions link = LinkConditions.of(0, 20).withLossPercent(5);
        int lost = 0;
        for (int i = 0; i < 20_000; i++) {
            lost += path.arrival(1500, i * MS, link) < 0 ? 1 : 0;
        }
        assertEquals(lost, path.lost());
        assertTrue(lost > 800 && lost < 1200, lost + " of 20,000 lost at 5 %");
    }
}
