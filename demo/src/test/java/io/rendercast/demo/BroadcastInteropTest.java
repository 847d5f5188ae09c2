package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two ffmpeg players of the demo's broadcast, one joining a second after the other, decode the same scene. */
class BroadcastInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void twoFfmpegPlayersDecodeTheOneRenderAndTheLateOneStartsFromTheCachedPictures() throws Exception {
        Broadcast broadcast = server.startBroadcast();
        String url = server.url("live", DemoApplication.BROADCAST);
        CompletableFuture<ExternalTool.Result> first = CompletableFuture.supplyAsync(() -> decode(url, 120));
        Thread.sleep(1500);
        ExternalTool.Result second = decode(url, 60);
        ExternalTool.Result firstResult = first.get();
        for (ExternalTool.Result result : new ExternalTool.Result[] {firstResult, second}) {
            assertEquals(0, result.exitCode(), result.describe());
            assertTrue(result.stderr().isBlank(), "ffmpeg reported errors:\n" + result.stderr());
        }
        Pictures.Match early = Pictures.matchDecodedFrames(firstResult.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        Pictures.Match late = Pictures.matchDecodedFrames(second.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("BroadcastInteropTest: first player " + early.summary() + "; second " + late.summary()
                + "; " + broadcast.statistics());
        assertEquals(120, early.frames(), early.toString());
        assertEquals(60, late.frames(), late.toString());
        early.assertMatchesRendered(35);
        late.assertMatchesRendered(35);
        early.assertInOrder(120);
        late.assertInOrder(60);
        BroadcastStatistics statistics = broadcast.statistics();
        assertEquals(2, statistics.playersJoined(), statistics.toString());
        assertTrue(statistics.framesSent() > statistics.framesEncoded(),
                "frames encoded once were sent to both: " + statistics);
    }

    private static ExternalTool.Result decode(String url, int frames) {
        return Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(90), url, frames);
    }
}
