package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** GStreamer's rtmp2src plays the demo stream through flvdemux, h264parse and avdec_h264. */
class GstreamerInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void rtmp2srcReachesPlayingAndDecodesFramesThatMatch(@TempDir Path dir) throws Exception {
        Path raw = dir.resolve("frames.rgb");
        ExternalTool.Result run = ExternalTool.GST_LAUNCH.run(Duration.ofSeconds(60), "-e",
                "rtmp2src", "location=" + server.url("live", "gst"), "!", "flvdemux", "!", "h264parse", "!",
                "avdec_h264", "!", "videoconvert", "!", "video/x-raw,format=RGB", "!", "identity", "eos-after=30",
                "!", "filesink", "location=" + raw);
        assertEquals(0, run.exitCode(), run.describe());
        assertTrue(run.stdoutText().contains("Setting pipeline to PLAYING"), run.describe());
        assertTrue(run.stdoutText().contains("Got EOS"), "the pipeline ran to its end: " + run.describe());
        byte[] frames = Files.readAllBytes(raw);
        Pictures.Match match = Pictures.matchDecodedFrames(frames, DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("GstreamerInteropTest: " + match.summary());
        assertEquals(30, match.frames(), match.toString());
        match.assertMatchesRendered(35);
        match.assertInOrder(30);
    }
}
