package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./rendercast bench whep-load}: what many WebRTC viewers cost the server, beside as many RTMP players in the
 * same run. For each count of viewers, each plays its own stream (its own encoder, as a steering viewer does): the
 * WebRTC viewers are peer connections in one headless Chromium page, the RTMP players ffmpeg processes that receive
 * without decoding. The server runs in this JVM; its CPU time over {@value #SECONDS} s of steady play, per viewer,
 * is the figure, and the ratio of the two the comparison. {@code target/whep-load.csv} has the rows. Settings, as
 * system properties: {@code rendercast.whepload.counts} (1,4,8), {@code .size} (320x180 at 30 fps, so that
 * Chromium's decoding of many does not take the server's cores).
 */
class WhepLoadBench {

    private static final int SECONDS = 10;
    private static final String COUNTS = System.getProperty("rendercast.whepload.counts", "1,4,8");
    private static final String SIZE = System.getProperty("rendercast.whepload.size", "320x180");

    /** Opens {@code arguments[0]} peer connections to the WHEP URLs, each drawing nothing; resolves to the statuses. */
    private static final String OPEN = WhepPlaybackTest.WHEP + """
            const [urls, done] = [arguments[0], arguments[arguments.length - 1]];
            window.pcs = window.pcs || [];
            Promise.all(urls.map(async url => {
                const pc = new RTCPeerConnection();
                window.pcs.push(pc);
                pc.addTransceiver('video', { direction: 'recvonly' });
                return (await whep(pc, url)).status;
            })).then(statuses => done(JSON.stringify(statuses)), e => done(String(e)));
            """;
    /** The frames each peer connection decoded so far, as JSON. */
    private static final String DECODED = """
            const done = arguments[arguments.length - 1];
            Promise.all(window.pcs.map(pc => pc.getStats().then(stats => {
                let decoded = 0;
                stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') decoded = s.framesDecoded; });
                return decoded;
            }))).then(all => done(JSON.stringify(all)));
            """;

    @Test
    void whatManyWebRtcViewersCostBesideAsManyRtmpPlayers() throws Exception {
        String[] size = SIZE.split("x");
        int width = Integer.parseInt(size[0]);
        int height = Integer.parseInt(size[1]);
        Path csvPath = Path.of("target", "whep-load.csv");
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8))) {
            csv.println("# ./rendercast bench whep-load: own streams at " + SIZE + ", 30 fps; server CPU over "
                    + SECONDS + " s of play, in this JVM; " + Runtime.getRuntime().availableProcessors() + " cores");
            csv.println("viewers,path,server_cpu_percent,cpu_ms_per_viewer_second,fps_per_viewer,ratio_to_rtmp");
            for (String count : COUNTS.split(",")) {
                int n = Integer.parseInt(count.strip());
                double[] webRtc = measureWebRtc(n, width, height);
                double[] rtmp = measureRtmp(n, width, height);
                double ratio = webRtc[1] / rtmp[1];
                csv.printf("%d,webrtc,%.1f,%.2f,%.1f,%.2f%n", n, webRtc[0], webRtc[1], webRtc[2], ratio);
                csv.printf("%d,rtmp,%.1f,%.2f,%.1f,1.00%n", n, rtmp[0], rtmp[1], rtmp[2]);
                csv.flush();
                System.out.printf("WhepLoadBench: %d viewers: WebRTC %.1f %% of a core (%.2f ms a viewer-second, "
                        + "%.1f fps), RTMP %.1f %% (%.2f ms, %.1f fps): WebRTC costs %.2f times RTMP%n", n,
                        webRtc[0], webRtc[1], webRtc[2], rtmp[0], rtmp[1], rtmp[2], ratio);
                assertTrue(webRtc[2] > 5 && rtmp[2] > 5, "the viewers played: " + webRtc[2] + ", " + rtmp[2]);
            }
        }
        System.out.println("WhepLoadBench: figures in " + csvPath.toAbsolutePath());
    }

    /** Server CPU percent of one core, CPU ms per viewer-second, and frames a second per viewer. */
    private static double[] measureWebRtc(int n, int width, int height) throws Exception {
        try (ViewerServer server = new ViewerServer(width, height, 30).withWebRtc();
             Chromium chromium = Chromium.open("--allow-loopback-in-peer-connection")) {
            chromium.driver.get("http://127.0.0.1:" + server.httpPort() + "/health");
            List<String> urls = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                urls.add(server.whep("live/load" + i, ""));
            }
            String statuses = String.valueOf(chromium.driver.executeAsyncScript(OPEN, urls));
            assertTrue(statuses.equals(("201," .repeat(n)).replaceAll("(.*),$", "[$1]")),
                    "every offer answered 201: " + statuses);
            chromium.waitUntil(() -> least(decoded(chromium)) >= 30, Duration.ofSeconds(60),
                    "every peer connection decodes 30 frames");
            long[] before = decoded(chromium);
            double[] cpu = cpu(() -> Thread.sleep(SECONDS * 1000L));
            long[] after = decoded(chromium);
            long frames = 0;
            for (int i = 0; i < n; i++) {
                frames += after[i] - before[i];
            }
            return new double[] {cpu[0], cpu[1] / n, frames / cpu[2] / n};
        }
    }

    private static double[] measureRtmp(int n, int width, int height) throws Exception {
        try (ViewerServer server = new ViewerServer(width, height, 30)) {
            List<FfmpegPlayer> players = new ArrayList<>();
            try {
                for (int i = 0; i < n; i++) {
                    players.add(FfmpegPlayer.receive(server.rtmp("live/load" + i)));
                }
                long deadline = System.nanoTime() + 60_000_000_000L;
                while (players.stream().anyMatch(p -> p.frames() < 30) && System.nanoTime() < deadline) {
                    Thread.sleep(200);
                }
                long before = players.stream().mapToLong(FfmpegPlayer::frames).sum();
                double[] cpu = cpu(() -> Thread.sleep(SECONDS * 1000L));
                long frames = players.stream().mapToLong(FfmpegPlayer::frames).sum() - before;
                return new double[] {cpu[0], cpu[1] / n, frames / cpu[2] / n};
            } finally {
                players.forEach(FfmpegPlayer::close);
            }
        }
    }

    private interface Wait {
        void run() throws Exception;
    }

    /** This JVM's CPU over {@code wait}: percent of one core, ms a second, and the seconds it took. */
    private static double[] cpu(Wait wait) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpuBefore = os.getProcessCpuTime();
        long start = System.nanoTime();
        wait.run();
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuMillis = (os.getProcessCpuTime() - cpuBefore) / 1e6;
        return new double[] {cpuMillis / seconds / 10, cpuMillis / seconds, seconds};
    }

    private static long[] decoded(Chromium chromium) {
        String json = String.valueOf(chromium.driver.executeAsyncScript(DECODED));
        String inner = json.replaceAll("[\\[\\]\\s]", "");
        if (inner.isEmpty()) {
            return new long[0];
        }
        String[] parts = inner.split(",");
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            values[i] = parts[i].equals("null") ? 0 : Long.parseLong(parts[i]);
        }
        return values;
    }

    private static long least(long[] values) {
        long least = values.length == 0 ? 0 : Long.MAX_VALUE;
        for (long v : values) {
            least = Math.min(least, v);
        }
        return least;
    }
}
