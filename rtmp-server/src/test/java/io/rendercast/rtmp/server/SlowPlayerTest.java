package io.rendercast.rtmp.server;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.rtmp.server.connection.ServerConnection;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A player that stops reading: its frame handler is told, its memory stays bounded, others keep their rate. */
@ExtendWith(LeakCheckExtension.class)
class SlowPlayerTest {

    private static final int FRAME_SIZE = 100_000;
    private static final int OUT_QUEUE_FRAMES = 4;
    private static final int HIGH_WATER = 1 << 20;

    private final TestApplication app = new TestApplication(FRAME_SIZE, 10, 30);
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aStalledPlayerIsToldFullStaysBoundedAndDoesNotSlowAnother() throws IOException, InterruptedException {
        server = app.serve(RtmpServerOptions.defaults().toBuilder().outQueueFrames(OUT_QUEUE_FRAMES)
                .writeBuffer(HIGH_WATER / 2, HIGH_WATER).build());
        InetSocketAddress address = server.listenAddress();

        try (RtmpTestClient stalled = RtmpTestClient.open(address, 4096);
             RtmpTestClient healthy = RtmpTestClient.open(address)) {
            stalled.connect("live");
            stalled.play(stalled.createStream(), "stalled");
            waitFor("the stalled player gets frames before it stalls").until(() -> stalled.video().size() >= 5);
            stalled.pauseReading();
            healthy.connect("live");
            healthy.play(healthy.createStream(), "healthy");

            waitFor("the stalled player's frame handler is told the out-queue is full")
                    .until(() -> app.fullSeenByStream.containsKey("stalled") && app.fullSeenByStream.get("stalled").get() > 10);

            ServerConnection stalledConnection = server.connections().stream()
                    .filter(c -> c.statistics().framesDropped() > 0).findFirst().orElseThrow();
            long bound = HIGH_WATER + (long) (OUT_QUEUE_FRAMES + 1) * FRAME_SIZE;
            long worst = 0;
            int healthyBefore = healthy.video().size();
            long start = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                TimeUnit.MILLISECONDS.sleep(100);
                worst = Math.max(worst, PendingBytes.of(stalledConnection));
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(worst <= bound, "queued for the stalled player: " + worst + " bytes; bound " + bound);
            int madeForStalled = app.framesMadeByStream.get("stalled").get();
            waitFor("still told full").until(() -> app.fullSeenByStream.get("stalled").get() > madeForStalled);

            double healthyFps = (healthy.video().size() - healthyBefore) / seconds;
            assertTrue(healthyFps >= 30 * 0.7, "the healthy player kept its frame rate: " + healthyFps + " fps");

            // The stalled player catches up: frames flow again, and the first after the gap is a key frame.
            stalled.resumeReading();
            waitFor("the stalled player gets frames again, after a gap")
                    .until(() -> firstAfterGap(stalled.video()) > 0);
            List<RtmpTestClient.VideoFrame> frames = stalled.video();
            int gap = firstAfterGap(frames);
            assertTrue(frames.get(gap).keyFrame(), "the first frame after the gap is a key frame: " + frames.get(gap));
        }
    }

    /** The index of the first frame more than three frame periods after the one before it, or -1. */
    private static int firstAfterGap(List<RtmpTestClient.VideoFrame> frames) {
        for (int i = 1; i < frames.size(); i++) {
            if (frames.get(i).timestamp() - frames.get(i - 1).timestamp() > 3 * 1000 / 30) {
                return i;
            }
        }
        return -1;
    }
}
