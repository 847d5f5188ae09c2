package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every codec a stream can use, played by ffmpeg: the decoded pictures must match the rendered ones, at the
 * encoder's tuning point (35 dB) for the lossy codecs and exactly for Screen Video (lossless), whether the
 * stream's own encoder made it or the application did (codec none: the frame handler's bytes go out as they are).
 */
class CodecInteropTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "h264,         h264,    35",
            "sorenson,     flv1,    35",
            "screen video, flashsv, Infinity",
            "none,         flashsv, Infinity"})
    void ffmpegPlaysEachCodecAndTheDecodedPicturesMatch(String codec, String ffmpegName, double tuningPointDb) {
        try (DemoServer server = new DemoServer(codec)) {
            String url = server.url("live", codec.replace(' ', '-'));
            ExternalTool.Result probe = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-v", "error",
                    "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height", "-of", "csv=p=0", url);
            assertEquals(0, probe.exitCode(), probe.describe());
            assertEquals(ffmpegName + "," + DemoServer.WIDTH + "," + DemoServer.HEIGHT, probe.stdoutText().trim());

            ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(90),
                    url, 30);
            assertEquals(0, decoded.exitCode(), decoded.describe());
            assertTrue(decoded.stderr().isBlank(), "ffmpeg reported errors:\n" + decoded.stderr());
            Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
            System.out.println("CodecInteropTest " + codec + ": " + match.summary());
            assertEquals(30, match.frames(), match.toString());
            match.assertMatchesRendered(tuningPointDb);
            match.assertInOrder(30);
        }
    }
}
