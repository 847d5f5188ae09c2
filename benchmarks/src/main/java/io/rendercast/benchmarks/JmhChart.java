package io.rendercast.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.HorizontalBarChart;
import org.knowm.xchart.HorizontalBarChartBuilder;
import org.knowm.xchart.style.HorizontalBarStyler;

/**
 * Draws JMH's CSV results ({@code -rf csv}) as a PNG: one bar per benchmark and parameter set, its length the
 * operations per second on a logarithmic scale (the suites span x264 frames to chunk headers), labelled with
 * the score and, when run with {@code -prof gc}, the bytes allocated per operation.
 *
 * <p>{@code JmhChart RESULTS.csv OUT.png "COMMAND"}
 */
public final class JmhChart {

    private record Row(String name, double score, String unit, Double bytesPerOp) {
    }

    private JmhChart() {
    }

    public static void main(String[] args) throws IOException {
        List<Row> rows = read(Path.of(args[0]));
        write(Path.of(args[1]), rows, args.length > 2 ? args[2] : "");
        System.out.println("chart: " + args[1]);
    }

    private static List<Row> read(Path csv) throws IOException {
        Map<String, Row> rows = new LinkedHashMap<>();
        CsvFiles.Table table = CsvFiles.read(csv);
        List<String> params = table.header().stream().filter(h -> h.startsWith("Param: ")).toList();
        for (CSVRecord cells : table.records()) {
            String benchmark = cells.get("Benchmark");
            StringBuilder key = new StringBuilder(benchmark.replace(":gc.alloc.rate.norm", ""));
            for (String p : params) {
                if (!cells.get(p).isEmpty()) {
                    key.append(' ').append(cells.get(p));
                }
            }
            double value = Double.parseDouble(cells.get("Score"));
            String id = key.toString().replaceFirst("^io\\.rendercast\\.benchmarks\\.", "");
            if (benchmark.endsWith(":gc.alloc.rate.norm")) {
                Row row = rows.get(id);
                if (row != null) {
                    rows.put(id, new Row(row.name(), row.score(), row.unit(), value));
                }
            } else if (!benchmark.contains(":")) {
                rows.put(id, new Row(id, value, cells.get("Unit"), null));
            }
        }
        return List.copyOf(rows.values());
    }

    /**
     * A bar a benchmark, its length the logarithm of its score (XChart's logarithmic axes do not draw bars, which
     * start at 0), the axis labelled in operations; its label names it, its score and unit, and its bytes
     * allocated per operation where measured.
     */
    private static void write(Path file, List<Row> rows, String command) throws IOException {
        Charts.headless();
        HorizontalBarChart chart = new HorizontalBarChartBuilder().width(1300).height(140 + rows.size() * 26)
                .title("Rendercast JMH suites: operations per second (log scale), bytes allocated per operation")
                .xAxisTitle(command).build();
        HorizontalBarStyler styler = chart.getStyler();
        Charts.style(styler);
        styler.setLegendVisible(false);
        styler.setPlotGridHorizontalLinesVisible(false);
        styler.setAvailableSpaceFill(0.7);
        // XChart spaces the category labels by the X axis hint, here on the left: a label for every bar.
        styler.setXAxisTickMarkSpacingHint(16);
        List<String> labels = new ArrayList<>();
        List<Double> decades = new ArrayList<>();
        for (Row row : rows) {
            labels.add(String.format(Locale.ROOT, "%s: %,.0f %s%s", row.name(), row.score(), row.unit(),
                    row.bytesPerOp() == null ? "" : String.format(Locale.ROOT, ", %.1f B/op", row.bytesPerOp())));
            decades.add(Math.log10(Math.max(1, row.score())));
        }
        styler.setXAxisMin(0.0);
        styler.setXAxisMax(Math.max(1, Math.ceil(decades.stream().mapToDouble(Double::doubleValue).max().orElse(1))));
        chart.setCustomXAxisTickLabelsFormatter(decade -> decade == Math.rint(decade)
                ? String.format(Locale.ROOT, "%,.0f", Math.pow(10, decade)) : "");
        chart.addSeries("score", decades, labels).setFillColor(Charts.RENDERCAST);
        Charts.savePng(chart, file);
    }
}
