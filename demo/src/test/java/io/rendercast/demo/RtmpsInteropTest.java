package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
        ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(90), url, 30);
        assertEquals(0, decoded.exitCode(), decoded.describe());
        Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("RtmpsInteropTest: " + match.summary());
        assertEquals(30, match.frames(), match.toString());
        match.assertMatchesRendered(35);
    }
}
