package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.demo.DemoApplication;
import io.rendercast.demo.DemoOptions;
import io.rendercast.rtmp.RtmpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * {@code ./rendercast bench control}: the input-to-photon of the one who steers a broadcast, with no one else
 * watching and then with an audience, in one run on one server. The controller is the demo's page in Chromium,
 * timing its own recolours until the colour shows; the audience is {@code WatcherCrowd}, RTMP players in a process
 * of their own that read and acknowledge as real ones do. Writes {@code target/control.csv}; the script draws it.
 *
 * <p>Settings, as system properties: {@code rendercast.control.size} (640x360), {@code .fps} (30),
 * {@code .watchers} (500), {@code .events} (200), {@code .bitrate} (600000). The picture is small by default so
 * that the server, Chromium's software decoder and the audience's process fit on one 2-core machine together: at
 * 1280x720 and 2.5 Mbit/s the audience alone reads 1.25 Gbit/s on the same cores, and the figures measure that.
 */
class ControlBench {

    private static final String[] SIZE = System.getProperty("rendercast.control.size", "640x360").split("x");
    private static final int FPS = Integer.getInteger("rendercast.control.fps", 30);
    private static final int WATCHERS = Integer.getInteger("rendercast.control.watchers", 500);
    private static final int EVENTS = Integer.getInteger("rendercast.control.events", 200);
    private static final int BITRATE = Integer.getInteger("rendercast.control.bitrate", 600_000);

    /** One run's figures. */
    private record Run(int watchers, List<Double> inputToPhoton, int missed) {

        double percentile(double p) {
            List<Double> sorted = inputToPhoton.stream().sorted().toList();
            if (sorted.isEmpty()) {
                return Double.NaN;
            }
            return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
        }
    }

    @Test
    void theControllersInputToPhotonWithAndWithoutAnAudience() throws Exception {
        int width = Integer.parseInt(SIZE[0]);
        int height = Integer.parseInt(SIZE[1]);
        DemoOptions options = DemoOptions.parse().on("127.0.0.1", 0, width, height).withRate(FPS, BITRATE);
        DemoApplication application = new DemoApplication(options);
        RtmpServer server = RtmpServer.create();
        List<Run> runs = new ArrayList<>();
        try (server) {
            server.addConnectHandler(application);
            server.start(new InetSocketAddress("127.0.0.1", 0));
            server.startHttp(new InetSocketAddress("127.0.0.1", 0));
            application.startBroadcast(server);
            try (Chromium controller = Chromium.open()) {
                controller.driver.get("http://127.0.0.1:" + server.httpAddress().getPort()
                        + "/?stream=live/broadcast&name=controller");
                controller.waitUntil(() -> controller.framesDecoded() > 30, Duration.ofSeconds(30), "the page plays");
                controller.driver.findElement(By.id("ask-control")).click();
                controller.waitUntil(() -> "controller".equals(controller.script("return rendercast.stats.role")),
                        Duration.ofSeconds(10), "the page controls the broadcast");
                runs.add(bench(controller, 0));

                Path benchmarks = Path.of("..", "benchmarks", "target", "benchmarks.jar").toAbsolutePath();
                // At the lowest CPU priority: the audience stands for players on other machines, and on this one
                // its reading of 500 sockets would otherwise take the cores from the server and the controller's
                // browser, and the figure would measure the machine. The server's own cost of the audience (its
                // fan-out, its network threads) stays at full priority, where it is measured.
                Process audience = new ProcessBuilder("nice", "-n", "19",
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", benchmarks.toString(), "io.rendercast.benchmarks.WatcherCrowd", "127.0.0.1",
                        Integer.toString(server.listenAddress().getPort()), "live", "broadcast",
                        Integer.toString(WATCHERS)).redirectError(ProcessBuilder.Redirect.DISCARD).start();
                // What it says, line by line: "watching N" once all watch, then "still N" every five seconds.
                List<String> said = new CopyOnWriteArrayList<>();
                Thread.ofPlatform().daemon().start(() -> {
                    try (BufferedReader lines = new BufferedReader(new InputStreamReader(audience.getInputStream(),
                            StandardCharsets.UTF_8))) {
                        for (String line; (line = lines.readLine()) != null; ) {
                            said.add(line);
                        }
                    } catch (IOException e) {
                        // it ended
                    }
                });
                try {
                    controller.waitUntil(() -> said.stream().anyMatch(l -> l.startsWith("watching")),
                            Duration.ofSeconds(150), "the audience joins");
                    assertTrue(said.contains("watching " + WATCHERS), "the whole audience watches: " + said);
                    int before = said.size();
                    runs.add(bench(controller, WATCHERS));
                    controller.waitUntil(() -> said.size() > before, Duration.ofSeconds(10), "the audience reports");
                    assertEquals("still " + WATCHERS, said.getLast(), "the audience watched all along: " + said);
                } finally {
                    audience.getOutputStream().close();
                    audience.destroy();
                }
            }
        }
        String command = "./rendercast bench control (-Drendercast.control.size=" + width + "x" + height
                + " -Drendercast.control.fps=" + FPS + " -Drendercast.control.bitrate=" + BITRATE
                + " -Drendercast.control.watchers=" + WATCHERS
                + " -Drendercast.control.events=" + EVENTS + "); " + Runtime.getRuntime().availableProcessors()
                + " cores";
        List<String> lines = new ArrayList<>(List.of("# " + command,
                "watchers,events,missed,input_to_photon_p50_ms,input_to_photon_p99_ms,input_to_photon_max_ms"));
        for (Run run : runs) {
            lines.add(String.format(Locale.ROOT, "%d,%d,%d,%.1f,%.1f,%.1f", run.watchers(), run.inputToPhoton().size(),
                    run.missed(), run.percentile(50), run.percentile(99), run.percentile(100)));
            System.out.printf(Locale.ROOT, "ControlBench: %4d watchers: input to photon p50 %5.1f ms, p99 %5.1f ms, "
                    + "max %5.1f ms (%d events, %d missed)%n", run.watchers(), run.percentile(50),
                    run.percentile(99), run.percentile(100), run.inputToPhoton().size(), run.missed());
        }
        double alone = runs.get(0).percentile(99);
        double watched = runs.get(1).percentile(99);
        double allowed = Math.max(0.15 * alone, 15);
        System.out.printf(Locale.ROOT, "ControlBench: p99 %.1f ms alone, %.1f ms before %d watchers: %+.1f ms, "
                + "target within %.1f ms: %s%n", alone, watched, WATCHERS, watched - alone, allowed,
                Math.abs(watched - alone) <= allowed ? "met" : "NOT met");
        Path csv = Path.of("target", "control.csv");
        Files.write(csv, lines);
        System.out.println("ControlBench: figures in " + csv.toAbsolutePath());
        assertTrue(runs.stream().allMatch(r -> r.missed() < EVENTS / 10), "most recolours were seen: " + runs);
    }

    /** The page's own timing of {@value #EVENTS} recolours, sent as the controller's calls. */
    @SuppressWarnings("unchecked")
    private static Run bench(Chromium controller, int watchers) {
        controller.script("window.rendercastBench = null; rendercast.bench(arguments[0]); return null", EVENTS);
        controller.waitUntil(() -> controller.script("return window.rendercastBench") != null,
                Duration.ofSeconds(EVENTS + 60L), "the page times its recolours");
        Map<String, Object> result = (Map<String, Object>) controller.script("return window.rendercastBench");
        List<Double> times = new ArrayList<>();
        int missed = 0;
        for (Object time : (List<Object>) result.get("inputToPhoton")) {
            if (time instanceof Number n && !Double.isNaN(n.doubleValue())) {
                times.add(n.doubleValue());
            } else {
                missed++;
            }
        }
        return new Run(watchers, times, missed);
    }
}
