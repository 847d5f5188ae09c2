package io.rendercast.demo;

import io.rendercast.linkemulator.LinkConditions;
import io.rendercast.linkemulator.LinkEmulator;
import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two ffmpeg players of the demo's broadcast, one on loopback and one behind an emulated link slower than the
 * broadcast (1.8 Mbit/s, 80 ms, for a 2.5 Mbit/s broadcast): the slow one is skipped to the next key frame whenever what it was sent would reach
 * it more than a second late, so its delay stays bounded and it is not closed; the fast one keeps the full stream.
 * Before, the slow one was skipped only once Netty held 64 KB for it, after the router's queue, the relay's buffers
 * and the kernel's had filled: seconds behind.
 */
class SlowBroadcastWatcherInteropTest {

    @Test
    void aWatcherOnASlowLinkIsSkippedByDelayWhileAFastOneKeepsTheFullStream() throws Exception {
        try (DemoServer server = new DemoServer()) {
            Broadcast broadcast = server.startBroadcast();
            try (LinkEmulator link = LinkEmulator.start(server.address(), LinkConditions.of(1.8, 80));
                 LivePlayer fast = LivePlayer.play(server.url("live", DemoApplication.BROADCAST));
                 LivePlayer slow = LivePlayer.play("rtmp://127.0.0.1:" + link.address().getPort() + "/live/"
                         + DemoApplication.BROADCAST)) {
                TimeUnit.SECONDS.sleep(8);
                int fastFrom = fast.count();
                int slowFrom = slow.count();
                TimeUnit.SECONDS.sleep(12);
                assertTrue(slow.count() - slowFrom > 2, "the slow watcher decoded " + (slow.count() - slowFrom)
                        + " frames in 12 s; ffmpeg said:\n" + slow.log());
                LivePlayer.Figures fastFigures = fast.since(fastFrom);
                LivePlayer.Figures slowFigures = slow.since(slowFrom);
                System.out.println("SlowBroadcastWatcherInteropTest: fast " + fastFigures + "; slow " + slowFigures
                        + "; link carried " + link.bytesToClients() * 8 / 20e6 + " Mbit/s");
                assertTrue(fastFigures.fps() >= 24, "the fast watcher: " + fastFigures);
                assertTrue(slowFigures.maxExtraDelaySeconds() <= 2.5, "the slow watcher: " + slowFigures);
            }
            BroadcastStatistics statistics = broadcast.statistics();
            assertTrue(statistics.skipsToKeyFrame() > 0, "the slow watcher was skipped: " + statistics);
        }
    }
}
