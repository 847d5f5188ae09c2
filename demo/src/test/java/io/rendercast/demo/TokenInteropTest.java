package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The demo's token check (--token): ffprobe with a wrong token is refused at connect, with the right one plays. */
class TokenInteropTest {

    private final DemoServer server = new DemoServer(new DemoApplication(DemoOptions.defaults()
            .on("127.0.0.1", 0, DemoServer.WIDTH, DemoServer.HEIGHT).withToken("s3cret")));

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void aWrongTokenIsRefusedBeforeAnyStreamOrThreadExists() {
        ExternalTool.Result refused = ExternalTool.FFPROBE.run(Duration.ofSeconds(30), "-v", "error",
                server.url("live?token=guess", "demo"));
        assertNotEquals(0, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("wrong or missing token"), "ffprobe shows the reason: " + refused.stderr());
        ExternalTool.Result missing = ExternalTool.FFPROBE.run(Duration.ofSeconds(30), "-v", "error",
                server.url("live", "demo"));
        assertTrue(missing.stderr().contains("wrong or missing token"), missing.stderr());
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("rtmp-render") || t.getName().startsWith("rtmp-frame")).count(),
                "no stream thread was started for a refused client");

        ExternalTool.Result played = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-v", "error",
                "-show_entries", "stream=codec_name", "-of", "csv=p=0", server.url("live?token=s3cret", "demo"));
        assertEquals(0, played.exitCode(), played.describe());
        assertEquals("h264", played.stdoutText().trim());
    }

    @Test
    void aViewTokenGatesWatchingAndTheControlTokenOpensTooWhileOthersAreRefusedWithTheReason() {
        try (DemoServer guarded = new DemoServer(new DemoApplication(DemoOptions.parse("--view-token=look",
                "--control-token=steer").on("127.0.0.1", 0, DemoServer.WIDTH, DemoServer.HEIGHT)))) {
            ExternalTool.Result refused = ExternalTool.FFPROBE.run(Duration.ofSeconds(30), "-v", "error",
                    guarded.url("live?token=guess", "demo"));
            assertNotEquals(0, refused.exitCode(), refused.describe());
            assertTrue(refused.stderr().contains("wrong or missing view token"), refused.stderr());
            for (String token : new String[] {"look", "steer"}) {
                ExternalTool.Result played = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-v", "error",
                        "-show_entries", "stream=codec_name", "-of", "csv=p=0", guarded.url("live?token=" + token, "demo"));
                assertEquals(0, played.exitCode(), token + ": " + played.describe());
            }
        }
    }
}
