package io.rendercast.rtmp.server;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A broadcast renders once for all its players; they join, fall behind and leave without disturbing the rest. */
@ExtendWith(LeakCheckExtension.class)
class BroadcastTest {

    // Frames large enough that a player that stops reading fills the socket's buffers in a few seconds.
    private final TestApplication app = new TestApplication(20_000, 10, 30);
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private Broadcast start(RtmpServerOptions options, Broadcast.Join join) throws Exception {
        server = app.serve(options);
        Broadcast broadcast = server.startBroadcast("live", "shared", join);
        app.install(broadcast.stream());
        return broadcast;
    }

    private static RtmpTestClient play(InetSocketAddress address, String app) throws Exception {
        RtmpTestClient client = RtmpTestClient.open(address);
        client.connect(app);
        client.play(client.createStream(), "shared");
        return client;
    }

    @Test
    void playersShareOneRenderLoopAndALateOneStartsAtOnceFromTheCachedPictures() throws Exception {
        Broadcast broadcast = start(RtmpServerOptions.defaults(), Broadcast.Join.CACHED_PICTURES);
        List<RtmpTestClient> players = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                players.add(play(server.listenAddress(), "live"));
            }
            waitFor("every player plays").until(() -> players.stream().allMatch(p -> p.video().size() >= 30));
            int made = app.framesMadeByStream.get("shared").get();
            int received = players.stream().mapToInt(p -> p.video().size()).max().orElse(0);
            assertTrue(made <= received + 10, "one render loop for three players: " + made + " frames made, "
                    + received + " received by the most");
            for (RtmpTestClient player : players) {
                assertTrue(player.video().getFirst().keyFrame(), "each starts at a key frame");
                assertIncreasing(player.video());
            }
            // Five frames into a group of ten: the late player gets the group so far at once, from its key frame.
            waitFor("mid-group").until(() -> app.framesMadeByStream.get("shared").get() % 10 == 5);
            RtmpTestClient first = players.getFirst();
            int newestAtJoin = first.video().getLast().timestamp();
            RtmpTestClient late = play(server.listenAddress(), "live");
            players.add(late);
            waitFor("the late player gets pictures").until(() -> late.video().size() >= 3);
            RtmpTestClient.VideoFrame cachedKey = late.video().getFirst();
            assertTrue(cachedKey.keyFrame(), "the late player starts at the cached key frame");
            // Told by the order of events, not by milliseconds a loaded machine could stretch: the late player
            // starts at a key frame made before it joined, and has three pictures before the broadcast's next key
            // frame reaches the first player.
            assertTrue(cachedKey.timestamp() <= newestAtJoin, "the late player's first picture (at "
                    + cachedKey.timestamp() + " ms) was made before it joined (the newest then: " + newestAtJoin + ")");
            waitFor("the next key frame").until(() -> nextKeyFrame(first.video(), cachedKey.timestamp()) != null);
            RtmpTestClient.VideoFrame nextKey = nextKeyFrame(first.video(), cachedKey.timestamp());
            assertTrue(late.video().get(2).receivedNanos() < nextKey.receivedNanos(),
                    "three pictures before the next key frame, not a key frame interval later");
            assertEquals(4, broadcast.players());
            // One leaves; the others go on.
            players.removeFirst().close();
            waitFor("the player that left is gone").until(() -> broadcast.players() == 3);
            int before = players.getFirst().video().size();
            TimeUnit.MILLISECONDS.sleep(500);
            assertTrue(players.getFirst().video().size() >= before + 10, "the others go on");
            BroadcastStatistics statistics = broadcast.statistics();
            assertEquals(4, statistics.playersJoined());
            assertTrue(statistics.framesSent() > statistics.framesEncoded(), statistics.toString());
        } finally {
            for (RtmpTestClient player : players) {
                player.close();
            }
        }
        waitFor("all have left").until(() -> broadcast.players() == 0);
        waitFor("with the last player gone the render loop stops")
                .until(() -> app.events.contains("render stopped shared on the render thread"));
        int made = app.framesMadeByStream.get("shared").get();
        TimeUnit.MILLISECONDS.sleep(300);
        assertEquals(made, app.framesMadeByStream.get("shared").get(), "nothing renders for no one");
        assertTrue(app.events.contains("play shared") && app.events.contains("stop shared"), app.events.toString());
    }

    @Test
    void aPlayerOnAnotherAppOrNameGetsItsOwnStreamAndANameTakenTwiceIsRefused() throws Exception {
        start(RtmpServerOptions.defaults(), Broadcast.Join.NEXT_KEY_FRAME);
        assertThrows(IllegalStateException.class,
                () -> server.startBroadcast("live", "shared", Broadcast.Join.NEXT_KEY_FRAME));
        try (RtmpTestClient own = RtmpTestClient.open(server.listenAddress())) {
            own.connect("live");
            own.play(own.createStream(), "mine");
            waitFor("a name not shared plays as its own stream").until(() -> own.video().size() >= 5);
            assertTrue(app.events.contains("create mine"), "the stream handler was asked for it");
        }
        try (RtmpTestClient player = play(server.listenAddress(), "live")) {
            waitFor("the broadcast plays").until(() -> player.video().size() >= 5);
            assertTrue(player.video().getFirst().keyFrame(), "from a key frame");
            assertTrue(!app.events.contains("create shared"), "the stream handler is not asked for a broadcast");
        }
    }

    @Test
    void aStalledPlayerSkipsToKeyFramesAndIsClosedWhileTheOthersKeepTheirRate() throws Exception {
        Broadcast broadcast = start(RtmpServerOptions.builder().maxBehind(Duration.ofSeconds(2))
                .writeBuffer(16 << 10, 32 << 10).build(), Broadcast.Join.CACHED_PICTURES);
        InetSocketAddress address = server.listenAddress();
        try (RtmpTestClient healthy = play(address, "live");
             RtmpTestClient stalled = RtmpTestClient.open(address, 4096)) {
            stalled.connect("live");
            int id = stalled.createStream();
            stalled.pauseReading();
            stalled.play(id, "shared");
            waitFor("the healthy player plays").until(() -> healthy.video().size() >= 10);
            int before = healthy.video().size();
            long start = System.nanoTime();
            // It reads nothing, so it cannot see the close: the server's side shows it.
            waitFor("the stalled player is closed after it stayed behind")
                    .atMost(Duration.ofSeconds(40))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertTrue(server.connections().size() <= 1,
                            () -> server.connections().size() + " connections; " + broadcast.statistics()));
            assertEquals(1, server.connections().size(), "the stalled player is closed after it stayed behind: "
                    + broadcast.statistics());
            double seconds = (System.nanoTime() - start) / 1e9;
            TimeUnit.SECONDS.sleep(1);
            double fps = (healthy.video().size() - before) / (seconds + 1);
            assertTrue(fps >= 27, "the healthy player kept its rate: " + fps + " fps");
            BroadcastStatistics statistics = broadcast.statistics();
            assertTrue(statistics.skipsToKeyFrame() >= 1, statistics.toString());
            assertEquals(1, statistics.playersClosedBehind(), statistics.toString());
            assertEquals(1, broadcast.players());
        }
    }

    /**
     * With a write delay, frames reach each player in groups, one write each, none lost or repeated: also for a
     * player who joins while frames are held, and gets the cached ones at once.
     */
    @Test
    void heldFramesReachEachPlayerTogetherNoneLostOrRepeated() throws Exception {
        start(RtmpServerOptions.builder().broadcastWriteDelay(Duration.ofMillis(400)).build(),
                Broadcast.Join.CACHED_PICTURES);
        try (RtmpTestClient first = play(server.listenAddress(), "live")) {
            waitFor("the first player plays").until(() -> first.video().size() >= 20);
            try (RtmpTestClient late = play(server.listenAddress(), "live")) {
                waitFor("the late player plays on").until(() -> late.video().size() >= 60);
                for (RtmpTestClient player : List.of(first, late)) {
                    List<RtmpTestClient.VideoFrame> video = List.copyOf(player.video());
                    assertIncreasing(video);
                    for (int i = 1; i < video.size(); i++) {
                        assertTrue(video.get(i).timestamp() - video.get(i - 1).timestamp() < 100,
                                "no frame lost: " + video.get(i - 1).timestamp() + " then " + video.get(i).timestamp());
                    }
                    // 400 ms at 30 fps is about twelve frames a write; anything like one frame a write would be
                    // three or four at most within 50 ms.
                    assertTrue(mostWithin(video, TimeUnit.MILLISECONDS.toNanos(50)) >= 8,
                            "frames arrive together: at most " + mostWithin(video, TimeUnit.MILLISECONDS.toNanos(50))
                                    + " within 50 ms");
                }
            }
        }
    }

    /**
     * A frame held for the batched write waits no longer than the write delay when a render is pulled forward
     * ({@code Stream.requestRender}), after which the next frame comes two periods on, not one. Each tick's render
     * here asks for one more at once, as input that comes while a frame renders does: at 300 ms a period, the pulled
     * render's frame takes the tick's place and frames come every 600 ms, at 0+, 600+, 1200+. Held while the next is
     * due within one period (before e496a5d), the first waited for the third: 1,208 ms, past the 1 s delay.
     */
    @Test
    void aPulledRenderDoesNotHoldFramesPastTheWriteDelay() throws Exception {
        TestApplication slow = new TestApplication(100, 10, 10.0 / 3);
        server = slow.serve(RtmpServerOptions.builder().broadcastWriteDelay(Duration.ofSeconds(1)).build());
        Broadcast broadcast = server.startBroadcast("live", "shared", Broadcast.Join.NEXT_KEY_FRAME);
        slow.install(broadcast.stream());
        broadcast.stream().setProperty(io.rendercast.rtmp.Stream.RENDER_RATE, slow.renderRate);
        java.util.concurrent.atomic.AtomicInteger renders = new java.util.concurrent.atomic.AtomicInteger();
        broadcast.stream().registerRenderHandler(stream -> {
            if (renders.getAndIncrement() % 2 == 0) {
                stream.requestRender(); // a tick's render asks for the next at once
            }
            return true;
        });
        try (RtmpTestClient player = play(server.listenAddress(), "live")) {
            waitFor("frames on and off the ticks").atMost(Duration.ofSeconds(30))
                    .until(() -> player.video().size() >= 8);
            List<RtmpTestClient.VideoFrame> video = List.copyOf(player.video());
            assertIncreasing(video);
            long pulled = video.stream().filter(f -> f.timestamp() % 300 != 0).count();
            assertTrue(pulled >= 4, "renders were pulled forward: stamps " + video.stream()
                    .map(RtmpTestClient.VideoFrame::timestamp).toList());
            // How long each frame was held: its arrival less its stamp, less the least of those (a frame written
            // as it was made). The longest a frame may wait is the delay.
            long[] lags = video.stream().mapToLong(f -> TimeUnit.NANOSECONDS.toMillis(f.receivedNanos())
                    - f.timestamp()).toArray();
            long least = java.util.Arrays.stream(lags).min().orElseThrow();
            long longest = java.util.Arrays.stream(lags).max().orElseThrow() - least;
            assertTrue(longest < 1000, "a frame was held " + longest + " ms, past the 1 s write delay: stamps "
                    + video.stream().map(RtmpTestClient.VideoFrame::timestamp).toList() + ", lags "
                    + java.util.Arrays.toString(lags));
            assertTrue(mostWithin(video, TimeUnit.MILLISECONDS.toNanos(50)) >= 2, "frames are still held and "
                    + "written together");
        }
    }

    /** The most frames received within {@code nanos} of one another. */
    private static int mostWithin(List<RtmpTestClient.VideoFrame> frames, long nanos) {
        int most = 0;
        int start = 0;
        for (int end = 0; end < frames.size(); end++) {
            while (frames.get(end).receivedNanos() - frames.get(start).receivedNanos() > nanos) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }

    private static void assertIncreasing(List<RtmpTestClient.VideoFrame> frames) {
        for (int i = 1; i < frames.size(); i++) {
            assertTrue(frames.get(i).timestamp() > frames.get(i - 1).timestamp(),
                    "timestamps increase: " + frames.get(i - 1).timestamp() + " then " + frames.get(i).timestamp());
        }
        assertNotNull(frames.getFirst());
    }

    /** The first key frame of {@code frames} stamped after {@code timestamp}, or null. */
    private static RtmpTestClient.VideoFrame nextKeyFrame(List<RtmpTestClient.VideoFrame> frames, int timestamp) {
        return frames.stream().filter(f -> f.keyFrame() && f.timestamp() > timestamp).findFirst().orElse(null);
    }
}
