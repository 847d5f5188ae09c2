package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rtmpdump (librtmp) records the demo stream to an FLV file that ffprobe reads. */
class RtmpdumpInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void rtmpdumpRecordsFiveSecondsThatFfprobeReads(@TempDir Path dir) throws Exception {
        Path flv = dir.resolve("recorded.flv");
        // rtmpdump plays a live stream (-v) until stopped; SIGTERM after 5 s makes it close the file properly. The
        // 5 s include starting rtmpdump, connecting and the stream's first encode: beside two CPU hogs on two
        // cores that took over 1.5 s, and 3 s recorded 39 frames.
        ExternalTool.Result dump = ExternalTool.RTMPDUMP.run(Duration.ofSeconds(30), Duration.ofSeconds(5),
                "-r", server.url("live", "dump"), "-v", "-o", flv.toString());
        assertTrue(dump.stderr().contains("Connected"), dump.describe());
        assertTrue(Files.size(flv) > 10_000, "recorded " + Files.size(flv) + " bytes; " + dump.describe());

        ExternalTool.Result probe = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-v", "error", "-count_frames",
                "-select_streams", "v:0", "-show_entries", "stream=codec_name,width,height,nb_read_frames",
                "-of", "csv=p=0", flv.toString());
        assertEquals(0, probe.exitCode(), probe.describe());
        String[] fields = probe.stdoutText().trim().split(",");
        assertEquals("h264", fields[0]);
        assertEquals(String.valueOf(DemoServer.WIDTH), fields[1]);
        assertEquals(String.valueOf(DemoServer.HEIGHT), fields[2]);
        int frames = Integer.parseInt(fields[3]);
        assertTrue(frames >= 60, "at least 2 of the 5 s at 30 fps were recorded, got " + frames + " frames");

        ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(60),
                flv.toString(), 30);
        Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH, DemoServer.HEIGHT);
        System.out.println("RtmpdumpInteropTest: " + match.summary());
        assertEquals(30, match.frames(), decoded.describe());
        match.assertMatchesRendered(35);
    }
}
