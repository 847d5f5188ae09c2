package io.rendercast.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;

/**
 * A bar chart of the fan-out results: marginal CPU-seconds per GB, each load, the servers side by side.
 *
 * <p>{@code FanOutChart CSV PNG [CAPTION]} draws it again from a {@code fanout.csv}; the caption, under the
 * chart, is by default the command that repeats the run and this machine's cores.
 */
public final class FanOutChart {

    /** The servers drawn, in this order, where the results have them; NIO is left to the CSV. */
    private static final List<String> SERIES = List.of("rendercast", "rendercast-at-once", "nginx-rtmp");
    private static final List<String> LABELS = List.of("Rendercast broadcast (writes held 100 ms)",
            "Rendercast, each frame written at once", "nginx-rtmp (fed by ffmpeg)");
    private static final List<Color> COLORS = List.of(Charts.RENDERCAST, Charts.RENDERCAST_LIGHT, Charts.OTHERS);

    private FanOutChart() {
    }

    public static void main(String[] args) throws IOException {
        List<FanOutBenchmark.Result> results = read(Path.of(args[0]));
        write(Path.of(args[1]), results, args.length > 2 ? args[2] : caption());
        System.out.println("chart: " + args[1]);
    }

    /** The results of a {@code fanout.csv}, as {@link FanOutBenchmark#writeCsv} wrote them. */
    static List<FanOutBenchmark.Result> read(Path csv) throws IOException {
        List<FanOutBenchmark.Result> results = new ArrayList<>();
        for (CSVRecord r : CsvFiles.read(csv).records()) {
            FanOutBenchmark.Load load = new FanOutBenchmark.Load(Integer.parseInt(r.get("players")),
                    Integer.parseInt(r.get("width")), Integer.parseInt(r.get("height")),
                    Long.parseLong(r.get("bits_per_second")));
            double gigabytes = Double.parseDouble(r.get("gigabytes"));
            results.add(new FanOutBenchmark.Result(r.get("server"), load, Integer.parseInt(r.get("alive")),
                    Double.parseDouble(r.get("mbit_per_s")), Double.parseDouble(r.get("min_fps")),
                    Double.parseDouble(r.get("median_fps")), Long.parseLong(r.get("timestamp_regressions")),
                    Double.parseDouble(r.get("cpu_seconds")), gigabytes, Long.parseLong(r.get("rss_kib")),
                    Double.parseDouble(r.get("one_player_cpu_seconds")),
                    Double.parseDouble(r.get("one_player_gigabytes")),
                    Double.parseDouble(r.get("network_thread_cpu_seconds_per_gb")) * gigabytes));
        }
        return results;
    }

    /** The command that repeats the run, and the machine it ran on. */
    static String caption() {
        return "repeat: ./rendercast bench fanout   (" + Runtime.getRuntime().availableProcessors()
                + " cores; the crowd of players in the same machine)";
    }

    /**
     * One group of bars a load Rendercast ran, a bar a server. A negative marginal (the fan-out cost less than the
     * noise of the one-player run) is drawn below zero and labelled so, not with its value.
     */
    static void write(Path file, List<FanOutBenchmark.Result> results, String caption) throws IOException {
        Charts.headless();
        CategoryChart chart = new CategoryChartBuilder().width(900).height(480)
                .title("Fan-out: server CPU-seconds per GB sent, beyond one player (lower is better)")
                .xAxisTitle(caption).build();
        CategoryStyler styler = chart.getStyler();
        Charts.style(styler);
        styler.setYAxisTicksVisible(false);
        styler.setPlotGridLinesVisible(false);
        styler.setAxisTicksMarksVisible(false);
        styler.setLabelsVisible(true);
        styler.setLabelsFontColorAutomaticEnabled(false);
        styler.setLabelsFontColor(Color.BLACK);
        styler.setLabelsFont(styler.getAxisTickLabelsFont());
        styler.setAvailableSpaceFill(0.7);
        chart.setCustomYAxisTickLabelsFormatter(v -> v < 0 ? "below noise" : String.format(Locale.ROOT, "%.2f", v));
        List<FanOutBenchmark.Load> loads = results.stream().filter(r -> r.server().equals("rendercast"))
                .map(FanOutBenchmark.Result::load).toList();
        List<String> groups = loads.stream().map(FanOutBenchmark.Load::describe).toList();
        for (int k = 0; k < SERIES.size(); k++) {
            String server = SERIES.get(k);
            if (results.stream().noneMatch(r -> r.server().equals(server))) {
                continue;
            }
            List<Double> marginal = new ArrayList<>();
            for (FanOutBenchmark.Load load : loads) {
                marginal.add(results.stream().filter(r -> r.server().equals(server) && r.load().equals(load))
                        .map(FanOutBenchmark.Result::marginalCpuPerGb).findFirst().orElse(null));
            }
            chart.addSeries(LABELS.get(k), groups, marginal).setFillColor(COLORS.get(k));
        }
        Charts.savePng(chart, file);
    }
}
