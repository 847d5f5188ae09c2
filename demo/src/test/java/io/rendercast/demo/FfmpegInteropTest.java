package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ffprobe and ffmpeg (libavformat's RTMP client) play the demo stream. */
class FfmpegInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void ffprobeReportsH264AtTheServedSize() {
        ExternalTool.Result probe = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-v", "error",
                "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,pix_fmt",
                "-of", "csv=p=0", server.url("live", "probe"));
        assertEquals(0, probe.exitCode(), probe.describe());
        assertEquals("h264," + DemoServer.WIDTH + "," + DemoServer.HEIGHT + ",yuv420p", probe.stdoutText().trim());
    }

    @Test
    void ffmpegDecodes90FramesThatMatchTheRenderedScene() {
        ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(90),
                server.url("live", "decode"), 90);
        assertEquals(0, decoded.exitCode(), decoded.describe());
        assertTrue(decoded.stderr().isBlank(), "ffmpeg reported errors:\n" + decoded.stderr());
        Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("FfmpegInteropTest: " + match.summary());
        assertEquals(90, match.frames(), match.toString());
        match.assertMatchesRendered(35);
        match.assertInOrder(90);
    }

    @Test
    void aRefusedPlayerSeesTheRejectionAndOthersArePlayedStill() {
        ExternalTool.Result refused = ExternalTool.FFPROBE.run(Duration.ofSeconds(30), "-v", "error",
                server.url("private", "x"));
        assertNotEquals(0, refused.exitCode(), refused.describe());
        assertTrue(refused.stderr().contains("NetConnection.Connect.Rejected"), "ffprobe shows the server's reason: " + refused.stderr());

        ExternalTool.Result served = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-v", "error",
                "-show_entries", "stream=codec_name", "-of", "csv=p=0", server.url("live", "after"));
        assertEquals(0, served.exitCode(), served.describe());
        assertFalse(served.stdoutText().isBlank());
        assertEquals("h264", served.stdoutText().trim());
    }
}
