package io.rendercast.rtmp.server;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hundred players that play and never read, beside a healthy one: it keeps its frame rate in every window. */
@ExtendWith(LeakCheckExtension.class)
class StalledPlayersTest {

    private static final int STALLED = 100;
    private final TestApplication app = new TestApplication(20_000, 10, 30);
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aHealthyPlayerKeepsItsRateInEveryFiveSecondsBesideAHundredStalledOnes() throws Exception {
        server = app.serve(RtmpServerOptions.builder().maxPlayingStreams(STALLED + 10).build());
        InetSocketAddress address = server.listenAddress();
        List<RtmpTestClient> stalled = new ArrayList<>();
        long threadsBefore = FaultReport.osThreads();
        FaultReport report = FaultReport.start("100 stalled players");
        try (RtmpTestClient healthy = RtmpTestClient.open(address)) {
            healthy.connect("live");
            healthy.play(healthy.createStream(), "healthy");
            waitFor("the healthy player plays").until(() -> healthy.video().size() >= 10);
            int aloneBefore = healthy.video().size();
            long aloneStart = System.nanoTime();
            TimeUnit.SECONDS.sleep(5);
            double alone = (healthy.video().size() - aloneBefore) / ((System.nanoTime() - aloneStart) / 1e9);
            for (int i = 0; i < STALLED; i++) {
                RtmpTestClient client = RtmpTestClient.open(address, 4096);
                stalled.add(client);
                client.connect("live");
                int id = client.createStream();
                client.pauseReading();
                client.play(id, "stalled" + i);
            }
            waitFor("every stalled player is behind").until(() -> app.fullSeenByStream.size() >= STALLED);
            int windows = 3;
            double slowest = Double.MAX_VALUE;
            for (int w = 0; w < windows; w++) {
                int before = healthy.video().size();
                long start = System.nanoTime();
                TimeUnit.SECONDS.sleep(5);
                double fps = (healthy.video().size() - before) / ((System.nanoTime() - start) / 1e9);
                System.out.printf("StalledPlayersTest: window %d: %.1f fps beside %d stalled players; OS threads %d "
                        + "(%d before)%n", w, fps, STALLED, FaultReport.osThreads(), threadsBefore);
                FaultReport.assertKeptRate(alone, fps, 0.8, "in window " + w + " beside " + STALLED
                        + " stalled players");
                slowest = Math.min(slowest, fps);
            }
            report.during(slowest);
            // Per player: the server's render and frame threads and the test client's reader; little else.
            long added = FaultReport.osThreads() - threadsBefore;
            assertTrue(added <= 3 * (STALLED + 1) + 20, "OS threads added for " + (STALLED + 1) + " players: " + added);
        } finally {
            for (RtmpTestClient client : stalled) {
                client.close();
            }
            waitFor("the server lets every client go").until(() -> server.connections().isEmpty());
            report.close();
        }
    }
}
