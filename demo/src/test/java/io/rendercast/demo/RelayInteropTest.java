package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.Broadcast;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The demo's broadcast pushed to nginx-rtmp: ffmpeg plays it from nginx and decodes the rendered scene; nginx
 * killed and started again, the relay connects again by itself and ffmpeg plays it once more.
 */
class RelayInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void ffmpegPlaysTheRelayedStreamFromNginxAndTheRelayComesBackAfterARestart() throws Exception {
        try (NginxRtmp nginx = new NginxRtmp()) {
            Broadcast broadcast = server.startBroadcast();
            Broadcast.Relay relay = broadcast.pushTo(nginx.url("live", "relayed"));
            waitUntil(relay::publishing, "the relay publishes to nginx", nginx);
            decodeFromNginx(nginx, 60);

            nginx.kill();
            waitUntil(() -> !relay.publishing(), "the relay sees nginx gone", nginx);
            TimeUnit.SECONDS.sleep(1); // a connect or two is refused while nginx is down
            nginx.start();
            waitUntil(relay::publishing, "the relay publishes again after the restart", nginx);
            assertTrue(relay.connects() >= 2, "it connected again: " + relay.connects() + " connects");
            decodeFromNginx(nginx, 30);
            System.out.println("RelayInteropTest: " + relay.connects() + " connects to nginx; "
                    + broadcast.statistics());
            relay.close();
            waitUntil(() -> broadcast.players() == 0, "the closed relay left the broadcast", nginx);
        }
    }

    private static void decodeFromNginx(NginxRtmp nginx, int frames) {
        ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(60),
                nginx.url("live", "relayed"), frames);
        assertEquals(0, decoded.exitCode(), decoded.describe() + "\nnginx:\n" + nginx.log());
        Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("RelayInteropTest: from nginx, " + match.summary());
        assertEquals(frames, match.frames(), match.toString());
        match.assertMatchesRendered(35);
        match.assertInOrder(frames);
    }

    /** Waits up to 20 s, checking every 50 ms; a timeout says what it waited for and what nginx logged. */
    private static void waitUntil(Callable<Boolean> condition, String what, NginxRtmp nginx) {
        try {
            Awaitility.await(what)
                    .atMost(Duration.ofSeconds(20))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(50))
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out waiting: " + what + "\nnginx:\n" + nginx.log(), e);
        }
    }
}
