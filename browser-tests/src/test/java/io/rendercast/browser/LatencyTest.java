package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;

/**
 * Input to photon and glass to glass, measured in headless Chromium. The page ({@code ?bench=N}) sends N
 * recolours ({@code setColor}, as a key would) at random moments and times each until a drawn frame shows the
 * new colour, reading the canvas's pixels; and on every frame it notes how long ago the server rendered it.
 *
 * <p>As a test it runs small and checks loose bounds. With {@code -Drendercast.bench=true}
 * ({@code ./rendercast bench latency}) it runs 200 events at 1280x720, at 30 and 60 fps, over both paths
 * (WebCodecs, and FLV through mpegts.js), and writes {@code target/latency.csv}; {@code -Drendercast.latency.fps=30}
 * and {@code -Drendercast.latency.paths=webcodecs} keep it to some of them.
 */
class LatencyTest {

    private static final boolean BENCH = Boolean.getBoolean("rendercast.bench");
    /** The format the benchmarks write their figures in (their {@code CsvFiles}): RFC 4180, records ended by '\n'. */
    static final CSVFormat CSV = CSVFormat.RFC4180.builder().setRecordSeparator('\n').setCommentMarker('#')
            .get();
    private static final List<String> COLUMNS = List.of("path", "size", "fps", "events", "input_to_photon_p50_ms",
            "input_to_photon_p99_ms", "input_to_photon_max_ms", "missed", "glass_to_glass_p50_ms",
            "glass_to_glass_p99_ms", "glass_to_glass_max_ms");

    record Figures(String path, int width, int height, double fps, int events, double[] inputToPhoton,
                   double[] glassToGlass, int missed) {

        String row() {
            return String.format(Locale.ROOT, "%-9s %4dx%-4d %3.0f fps  %3d events  input-to-photon p50 %5.1f  p99 %5.1f  max %5.1f ms"
                    + "  (missed %d)  glass-to-glass p50 %5.1f  p99 %5.1f  max %5.1f ms", path, width, height, fps, events,
                    percentile(inputToPhoton, 50), percentile(inputToPhoton, 99), max(inputToPhoton), missed,
                    percentile(glassToGlass, 50), percentile(glassToGlass, 99), max(glassToGlass));
        }

        /** The cells of this run's record in {@code latency.csv}, in the order of {@code COLUMNS}. */
        List<String> csv() {
            return List.of(path, width + "x" + height, String.valueOf(fps), String.valueOf(events),
                    ms(percentile(inputToPhoton, 50)), ms(percentile(inputToPhoton, 99)), ms(max(inputToPhoton)),
                    String.valueOf(missed), ms(percentile(glassToGlass, 50)), ms(percentile(glassToGlass, 99)),
                    ms(max(glassToGlass)));
        }

        private static String ms(double value) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
    }

    @Test
    void inputReachesTheScreenWellWithinBoundsOnBothPaths() throws Exception {
        List<Figures> all = new ArrayList<>();
        int width = BENCH ? 1280 : 640;
        int height = BENCH ? 720 : 360;
        int events = BENCH ? 200 : 20;
        // A bench may keep to some of its cells: -Drendercast.latency.fps=30 -Drendercast.latency.paths=webcodecs
        double[] rates = Arrays.stream(System.getProperty("rendercast.latency.fps", BENCH ? "30,60" : "30").split(","))
                .mapToDouble(Double::parseDouble).toArray();
        List<String> paths = List.of(System.getProperty("rendercast.latency.paths", "webcodecs,flv").split(","));
        for (double fps : rates) {
            for (String path : paths) {
                Figures figures = measure(path, width, height, fps, events);
                System.out.println("LatencyTest: " + figures.row());
                all.add(figures);
            }
        }
        try (CSVPrinter csv = CSV.print(Path.of("target", "latency.csv"), StandardCharsets.UTF_8)) {
            csv.printRecord(COLUMNS);
            for (Figures f : all) {
                csv.printRecord(f.csv());
            }
        }
        for (Figures f : all) {
            // Loose, for a loaded 2-core machine: the browser, its decoder and the encoder share it.
            assertTrue(f.missed() <= Math.max(1, f.events() / 20), "input lost on the " + f.path() + " path: " + f.row());
            assertTrue(percentile(f.inputToPhoton(), 99) < (f.path().equals("flv") ? 3000 : 1000),
                    "input to photon on the " + f.path() + " path: " + f.row());
        }
    }

    private static Figures measure(String path, int width, int height, double fps, int events) throws Exception {
        try (ViewerServer server = new ViewerServer(width, height, fps); Chromium chromium = Chromium.open()) {
            chromium.driver.get(server.page("live/latency", "&bench=" + events + (path.equals("flv") ? "&flv=1" : "")));
            chromium.waitUntil(() -> chromium.script("return window.rendercastBench") != null,
                    Duration.ofSeconds(30 + events * 4L), events + " input events timed");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) chromium.script("return window.rendercastBench");
            assertTrue(path.equals(result.get("path")), "the page played the " + path + " path: " + result.get("path"));
            double[] inputToPhoton = numbers(result.get("inputToPhoton"));
            double[] seen = Arrays.stream(inputToPhoton).filter(d -> !Double.isNaN(d)).toArray();
            return new Figures(path, width, height, fps, events, seen, numbers(result.get("glassToGlass")),
                    inputToPhoton.length - seen.length);
        }
    }

    static double[] numbers(Object list) {
        return ((List<?>) list).stream().mapToDouble(v -> v == null ? Double.NaN : ((Number) v).doubleValue()).toArray();
    }

    static double percentile(double[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    static double max(double[] values) {
        return Arrays.stream(values).max().orElse(Double.NaN);
    }
}
