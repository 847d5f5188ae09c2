package io.rendercast.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;

/**
 * The network benchmark's delays ({@link NetworkBenchmark}): a bar a link condition for each player, the median
 * delay from render to decode, with the frames a second in each label.
 */
final class NetworkChart {

    private NetworkChart() {
    }

    static void write(Path file, List<NetworkBenchmark.Run> runs, String command) throws IOException {
        Charts.headless();
        CategoryChart chart = new CategoryChartBuilder().width(1700).height(620)
                .title("Render to decode, median (s), through an emulated link: the demo at 1280x720, 30 fps")
                .xAxisTitle(command).yAxisTitle("seconds").build();
        CategoryStyler styler = chart.getStyler();
        Charts.style(styler);
        styler.setXAxisLabelRotation(40);
        styler.setYAxisDecimalPattern("0.00");
        Set<String> cells = new LinkedHashSet<>();
        runs.forEach(r -> cells.add(r.cell()));
        for (String transport : List.of("RTMP", "HTTP-FLV")) {
            List<String> labels = new ArrayList<>();
            List<Double> delays = new ArrayList<>();
            for (String cell : cells) {
                labels.add(cell);
                delays.add(runs.stream().filter(r -> r.cell().equals(cell) && r.transport().equals(transport))
                        .mapToDouble(NetworkBenchmark.Run::p50).findFirst().orElse(0));
            }
            chart.addSeries(transport, labels, delays)
                    .setFillColor(transport.equals("RTMP") ? Charts.RENDERCAST : Charts.RENDERCAST_LIGHT);
        }
        Charts.savePng(chart, file);
    }
}
