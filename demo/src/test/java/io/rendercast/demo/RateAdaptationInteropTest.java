package io.rendercast.demo;

import io.rendercast.linkemulator.LinkConditions;
import io.rendercast.linkemulator.LinkEmulator;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ConnectionStatistics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A player behind a link slower than its stream: ffmpeg plays the demo's own stream (1280x720, 2.5 Mbit/s), over
 * RTMP and over HTTP-FLV, through an emulated 1.5 Mbit/s link with an 80 ms round trip and a router's 64 KB queue.
 * The encoder comes down under the link, so that the player gets the full frame rate at a bounded delay, with key
 * frames only where the GOP puts them; once the cap is lifted, the bit rate goes back up. Before rate adaptation,
 * the same RTMP player got 18 frames a second and a key frame in every six.
 *
 * <p>Bounds are loose (a loaded 2-core machine runs the server, the link and ffmpeg at once); the figures are
 * printed for the record.
 */
class RateAdaptationInteropTest {

    private static final long STREAM_BITS = 2_500_000;
    private static final double LINK_MEGABITS = 1.5;
    /** The size of the measurements: the demo's scene there takes the 2.5 Mbit/s it is given. */
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;

    @ParameterizedTest
    @ValueSource(strings = {"rtmp", "http-flv"})
    void theBitRateFollowsTheLinkDownAndBackUpWhileThePlayerKeepsTheFrameRate(String transport) throws Exception {
        List<Connection> connections = new CopyOnWriteArrayList<>();
        DemoApplication application = new DemoApplication(DemoOptions.defaults()
                .on("127.0.0.1", 0, WIDTH, HEIGHT).withRate(30, STREAM_BITS));
        try (DemoServer server = new DemoServer(application, (create, connection, command, args) -> {
                 if (create) {
                     connections.add(connection);
                 }
                 return false;
             });
             LinkEmulator link = LinkEmulator.start(transport.equals("rtmp") ? server.address()
                     : server.httpAddress(), LinkConditions.of(LINK_MEGABITS, 80));
             LivePlayer player = LivePlayer.play(transport.equals("rtmp")
                     ? "rtmp://127.0.0.1:" + link.address().getPort() + "/live/adapting"
                     : "http://127.0.0.1:" + link.address().getPort() + "/live/adapting.flv")) {
            // Ten seconds to find the link, then ten measured.
            TimeUnit.SECONDS.sleep(10);
            int from = player.count();
            long linkBytes = link.bytesToClients();
            // The encoder's bit rate, twice a second: it probes above what the link carries now and then, and an
            // encoder may make less than it is set to, so the lowest tells that it came down.
            long lowest = Long.MAX_VALUE;
            for (int i = 0; i < 20; i++) {
                TimeUnit.MILLISECONDS.sleep(500);
                lowest = Math.min(lowest, connections.getFirst().statistics().videoBitrate());
            }
            assertTrue(player.count() - from > 10, "ffmpeg decoded " + player.count() + " frames in 20 s; "
                    + connections.getFirst().statistics() + "; it said:\n" + player.log());
            LivePlayer.Figures figures = player.since(from);
            double linkMegabits = (link.bytesToClients() - linkBytes) * 8 / 10e6;
            ConnectionStatistics slow = connections.getFirst().statistics();
            System.out.printf("RateAdaptationInteropTest: " + transport + " at %.1f Mbit/s, 80 ms: %s; link carried "
                    + "%.2f Mbit/s; estimate %d bit/s, encoder at %d bit/s (lowest %d)%n", LINK_MEGABITS, figures,
                    linkMegabits, slow.link().deliveryRate(), slow.videoBitrate(), lowest);
            // Down from the 2.5 Mbit/s asked to about the link's rate: the rate set may sit at the link's own, since
            // x264 makes a little under what it is set to and skipped ticks no longer force key frames that would
            // make a queue stand; the frame rate and the delay below say whether it fits.
            assertTrue(lowest > 0 && lowest < 1.1 * LINK_MEGABITS * 1e6, "the encoder was set to " + lowest
                    + " bit/s at the lowest behind a " + LINK_MEGABITS + " Mbit/s link");
            assertTrue(figures.fps() >= 22, "frames a second: " + figures);
            assertTrue(figures.medianExtraDelaySeconds() <= 0.6, "queue delay: " + figures);
            // The demo's own stream refreshes its picture a column at a time: no key frame but the first, and
            // those the server asks for when it skipped frames, which a path the rate fits makes rare.
            int keyFrames = 4;
            assertTrue(figures.keyFrames() <= keyFrames, "key frames in 10 s: " + figures);

            link.change(new LinkConditions(0, Duration.ofMillis(80), LinkConditions.ROUTER_QUEUE));
            // Back up within 90 s; the encoder's rate and the estimate every half second say how, if not. From a
            // capped rate of 1.54 to 1.61 Mbit/s it takes 5 to 10 s: the first probe carried, the player receives 10 %
            // more than the capacity measured, and the next probes go twice as far. Where the capped rate sat at 1.36
            // to 1.39 (two runs of seven, at d0433de and 9746a1f, one beside two CPU hogs), probes of 8 % came 5 s
            // apart until then, and one not carried made the next wait 10 s: 1.76 Mbit/s after 30 s, 1.47 after 45.
            StringBuilder rates = new StringBuilder();
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            ConnectionStatistics now = connections.getFirst().statistics();
            while (now.videoBitrate() < STREAM_BITS * 0.9 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(500);
                now = connections.getFirst().statistics();
                rates.append(' ').append(now.videoBitrate() / 1000).append('/').append(now.link().deliveryRate() / 1000)
                        .append(" q").append(now.link().queueDelay().toMillis());
            }
            System.out.println("RateAdaptationInteropTest: " + transport + " once the cap is lifted, kbit/s set/"
                    + "estimate and queue ms every half second:" + rates);
            assertTrue(now.videoBitrate() >= STREAM_BITS * 0.9, "the bit rate back up within 90 s once the cap is "
                    + "lifted: kbit/s set/estimate, queue ms, every half second:" + rates);
        }
    }
}
