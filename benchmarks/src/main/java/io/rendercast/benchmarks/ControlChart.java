package io.rendercast.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.CategoryStyler;

/**
 * The control benchmark's chart ({@code ./rendercast bench control}): the controller's input-to-photon, p50 and
 * p99, with each audience the run had, from the CSV it wrote.
 *
 * <p>{@code ControlChart CSV PNG}
 */
public final class ControlChart {

    private ControlChart() {
    }

    public static void main(String[] args) throws IOException {
        Path csv = Path.of(args[0]);
        List<String> labels = new ArrayList<>();
        List<Double> p50 = new ArrayList<>();
        List<Double> p99 = new ArrayList<>();
        CsvFiles.Table table = CsvFiles.read(csv);
        String command = table.comment() == null ? "" : table.comment().strip();
        for (CSVRecord row : table.records()) {
            labels.add(row.get("watchers") + " watchers");
            p50.add(Double.parseDouble(row.get("input_to_photon_p50_ms")));
            p99.add(Double.parseDouble(row.get("input_to_photon_p99_ms")));
        }
        Charts.headless();
        CategoryChart chart = new CategoryChartBuilder().width(900).height(520)
                .title("The controller's input to photon (ms), with and without an audience")
                .xAxisTitle(command).yAxisTitle("ms").build();
        CategoryStyler styler = chart.getStyler();
        Charts.style(styler);
        chart.addSeries("p50", labels, p50).setFillColor(Charts.RENDERCAST_LIGHT);
        chart.addSeries("p99", labels, p99).setFillColor(Charts.RENDERCAST);
        Path png = Path.of(args[1]);
        Charts.savePng(chart, png);
        System.out.println("chart: " + png);
    }
}
