package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ffmpeg plays the demo over RTMPS (TLS, a self-signed certificate) and decodes the same pictures. */
class RtmpsInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void ffmpegPlaysRtmpsAndThePicturesMatch() throws IOException {
        String url = server.rtmpsUrl("live", "secure");
        ExternalTool.Result decoded = ExternalTool.FFMPEG.run(Duration.ofSeconds(90), "-hide_banner",
                "-loglevel", "error", "-i", url, "-frames:v", "30", "-f", "rawvideo", "-pix_fmt", "rgb24", "pipe:1");
        assertEquals(0, decoded.exitCode(), decoded.describe());
        Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("RtmpsInteropTest: " + match.summary());
        assertEquals(30, match.frames(), match.toString());
        assertTrue(match.worstPsnr() >= 35, match.toString());
    }
}
