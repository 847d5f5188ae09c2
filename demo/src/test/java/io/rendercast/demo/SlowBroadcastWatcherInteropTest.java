package io.rendercast.demo;

import io.rendercast.linkemulator.LinkConditions;
import io.rendercast.linkemulator.LinkEmulator;
import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import io.rendercast.rtmp.Connection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ffmpeg players of the demo's broadcast (2.5 Mbit/s, with a lower rendition at 1 Mbit/s), one on loopback and one
 * behind an emulated link slower than the shared encode. On a 1.8 Mbit/s link the slow one moves to the lower
 * rendition and plays it at the full frame rate, its delay bounded; the fast one keeps the shared encode. On a
 * 0.6 Mbit/s link, slower than either, the slow one is skipped to the next key frame whenever what it was sent
 * would reach it more than a second late, so its delay stays bounded and it is not closed.
 */
class SlowBroadcastWatcherInteropTest {

    /**
     * What the test saw of the broadcast: its players by rendition, every quarter second, the bit rates its two
     * connections' statistics named in those samples, and the figures.
     */
    private record Watched(LivePlayer.Figures fast, LivePlayer.Figures slow, int samples, int slowOnLower,
                           int fastOnShared, Set<Long> bitratesSeen, BroadcastStatistics statistics,
                           double linkMbps) {
    }

    private static Watched watch(double linkMbps) throws Exception {
        List<Connection> connections = new CopyOnWriteArrayList<>();
        DemoApplication application = new DemoApplication(DemoOptions.defaults()
                .on("127.0.0.1", 0, DemoServer.WIDTH, DemoServer.HEIGHT).withCodec("h264"));
        try (DemoServer server = new DemoServer(application, (create, connection, command, args) -> {
            if (create) {
                connections.add(connection);
            }
            return false;
        })) {
            Broadcast broadcast = server.startBroadcast();
            assertEquals(2, broadcast.renditions().size(), "the demo's broadcast: " + broadcast.renditions());
            try (LinkEmulator link = LinkEmulator.start(server.address(), LinkConditions.of(linkMbps, 80));
                 LivePlayer fast = LivePlayer.play(server.url("live", DemoApplication.BROADCAST));
                 LivePlayer slow = LivePlayer.play("rtmp://127.0.0.1:" + link.address().getPort() + "/live/"
                         + DemoApplication.BROADCAST)) {
                TimeUnit.SECONDS.sleep(8);
                int fastFrom = fast.count();
                int slowFrom = slow.count();
                long linkFrom = link.bytesToClients();
                int samples = 0;
                int slowOnLower = 0;
                int fastOnShared = 0;
                Set<Long> bitratesSeen = new TreeSet<>();
                for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(12); System.nanoTime() < end; ) {
                    List<Broadcast.Rendition> now = broadcast.renditions();
                    samples++;
                    slowOnLower += now.get(1).players() == 1 ? 1 : 0;
                    fastOnShared += now.get(0).players() >= 1 ? 1 : 0;
                    connections.forEach(c -> bitratesSeen.add(c.statistics().videoBitrate()));
                    TimeUnit.MILLISECONDS.sleep(250);
                }
                assertTrue(slow.count() - slowFrom > 2, "the slow watcher decoded " + (slow.count() - slowFrom)
                        + " frames in 12 s; ffmpeg said:\n" + slow.log());
                Watched watched = new Watched(fast.since(fastFrom), slow.since(slowFrom), samples, slowOnLower,
                        fastOnShared, bitratesSeen, broadcast.statistics(), (link.bytesToClients() - linkFrom) * 8 / 12e6);
                System.out.println("SlowBroadcastWatcherInteropTest, " + linkMbps + " Mbit/s: " + watched);
                return watched;
            }
        }
    }

    @Test
    void aWatcherOnALinkSlowerThanTheBroadcastMovesToTheLowerRenditionWhileAFastOneKeepsTheSharedEncode()
            throws Exception {
        Watched watched = watch(1.8);
        assertTrue(watched.statistics().renditionSwitches() >= 1, "the slow watcher moved: " + watched);
        assertTrue(watched.slowOnLower() >= watched.samples() / 2, "the slow watcher played the lower rendition "
                + "most of the time (it tries the shared encode again after 10 s without a queue): " + watched);
        assertEquals(watched.samples(), watched.fastOnShared(), "the fast watcher kept the shared encode: " + watched);
        assertTrue(watched.bitratesSeen().containsAll(List.of(2_500_000L, 1_000_000L)), "each connection's statistics "
                + "name the bit rate of the rendition it plays: " + watched);
        assertTrue(watched.fast().fps() >= 24, "the fast watcher: " + watched);
        assertTrue(watched.slow().fps() >= 20, "the slow watcher plays the lower rendition at its frame rate: "
                + watched);
        assertTrue(watched.slow().maxExtraDelaySeconds() <= 1.5, "the slow watcher's delay: " + watched);
    }

    @Test
    void aWatcherOnALinkSlowerThanEveryRenditionIsSkippedByDelayAndNotClosed() throws Exception {
        Watched watched = watch(0.6);
        assertTrue(watched.statistics().skipsToKeyFrame() > 0, "the slow watcher was skipped: " + watched);
        assertEquals(0, watched.statistics().playersClosedBehind(), "no one was closed: " + watched);
        assertTrue(watched.fast().fps() >= 24, "the fast watcher: " + watched);
        assertTrue(watched.slow().maxExtraDelaySeconds() <= 2.5, "the slow watcher's delay: " + watched);
    }
}
