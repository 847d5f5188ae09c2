package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** ffprobe and ffmpeg see the demo's frames on a steady clock: the render tick, not the time of sending. */
class FrameClockInteropTest {

    private static final double FPS = 30;

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void ffprobeSeesTimestampsFromZeroOnWholeFramePeriodsFor10Seconds() {
        ExternalTool.Result probe = ExternalTool.FFPROBE.run(Duration.ofSeconds(90), "-v", "error",
                "-select_streams", "v:0", "-read_intervals", "%+10", "-show_entries", "packet=pts",
                "-of", "csv=p=0", server.url("live", "clock"));
        assertEquals(0, probe.exitCode(), probe.describe());
        long[] pts = probe.stdoutText().lines().map(String::trim).filter(l -> !l.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        // Loose on count (a loaded 2-core machine skips renders, which leaves whole-period gaps), strict on shape.
        assertTrue(pts.length >= 100, "packets in 10 s: " + pts.length);
        // The clock starts at 0 at play. Beside other load the first renders may be skipped too, which leaves the
        // first packet a few whole periods in (seen once, at 33 ms, beside two CPU hogs).
        assertTrue(pts[0] <= Math.round(10 * 1000 / FPS) && Math.round(Math.round(pts[0] * FPS / 1000) * 1000 / FPS)
                == pts[0], "the first frame is at 0 or a few whole periods after it: "
                + Arrays.toString(Arrays.copyOf(pts, 10)));
        for (int i = 1; i < pts.length; i++) {
            assertTrue(pts[i] > pts[i - 1], "strictly increasing at packet " + i + ": " + pts[i - 1] + ", " + pts[i]);
            long tick = Math.round(pts[i] * FPS / 1000);
            assertEquals(Math.round(tick * 1000 / FPS), pts[i], "packet " + i + " sits on a whole frame period");
        }
        System.out.println("FrameClockInteropTest: " + pts.length + " packets in 10 s, last pts " + pts[pts.length - 1]);
    }

    @Test
    void ffmpegPlays300FramesWithoutASingleComplaint() {
        ExternalTool.Result played = ExternalTool.FFMPEG.run(Duration.ofSeconds(90), "-hide_banner", "-v", "error",
                "-i", server.url("live", "quiet"), "-frames:v", "300", "-f", "null", "-");
        assertEquals(0, played.exitCode(), played.describe());
        assertTrue(played.stderr().isBlank(), "ffmpeg at -v error printed:\n" + played.stderr());
    }
}
