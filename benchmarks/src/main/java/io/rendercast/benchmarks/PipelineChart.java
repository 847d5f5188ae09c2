package io.rendercast.benchmarks;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.commons.csv.CSVRecord;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.CategoryStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The encode pipeline's frames per second ({@link EncodePipeline}): a bar a contender, the mean of its rounds,
 * Rendercast's in green; a mark for each round; each contender's mean as a ratio of FFmpeg 8.1.2's command line.
 *
 * <p>{@code PipelineChart CSV PNG} draws it again from a {@code pipeline.csv}, with the command its comment names.
 */
public final class PipelineChart {

    private PipelineChart() {
    }

    public static void main(String[] args) throws IOException {
        CsvFiles.Table table = CsvFiles.read(Path.of(args[0]));
        Map<String, List<Double>> fps = new LinkedHashMap<>();
        for (CSVRecord r : table.records()) {
            fps.computeIfAbsent(r.get("contender"), k -> new ArrayList<>()).add(Double.parseDouble(r.get("fps")));
        }
        write(Path.of(args[1]), fps, table.comment() == null ? "" : table.comment());
        System.out.println("chart: " + args[1]);
    }

    /** {@code fps}: each contender's frames per second, a value a round, in the order drawn. */
    static void write(Path file, Map<String, List<Double>> fps, String command) throws IOException {
        double reference = EncodePipeline.mean(fps.getOrDefault(EncodePipeline.REFERENCE, List.of()));
        Charts.headless();
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520)
                .title("libx264 1280x720 veryfast: frames per second, mean of the rounds (marks: each round)")
                .xAxisTitle(command + "   (in brackets: the mean as a ratio of " + EncodePipeline.REFERENCE + "'s)")
                .build();
        CategoryStyler styler = chart.getStyler();
        Charts.style(styler);
        styler.setOverlapped(true);
        styler.setLabelsVisible(true);
        styler.setLabelsFontColorAutomaticEnabled(true);
        styler.setLabelsFont(styler.getAxisTickLabelsFont());
        styler.setXAxisLabelRotation(15);
        styler.setPlotGridVerticalLinesVisible(false);
        styler.setYAxisDecimalPattern("0.0");
        styler.setAvailableSpaceFill(0.6);
        List<String> contenders = new ArrayList<>();
        List<Double> rendercast = new ArrayList<>();
        List<Double> others = new ArrayList<>();
        int rounds = 0;
        for (Map.Entry<String, List<Double>> e : fps.entrySet()) {
            double mean = EncodePipeline.mean(e.getValue());
            contenders.add(String.format(Locale.ROOT, "%s (%.2f)", e.getKey(), mean / reference));
            boolean ours = e.getKey().startsWith("Rendercast");
            rendercast.add(ours ? mean : null);
            others.add(ours ? null : mean);
            rounds = Math.max(rounds, e.getValue().size());
        }
        chart.addSeries("Rendercast", contenders, rendercast).setFillColor(Charts.RENDERCAST);
        chart.addSeries("FFmpeg's command line, and libx264 alone", contenders, others).setFillColor(Charts.OTHERS);
        for (int round = 0; round < rounds; round++) {
            List<Double> values = new ArrayList<>();
            for (List<Double> v : fps.values()) {
                values.add(round < v.size() ? v.get(round) : null);
            }
            CategorySeries marks = chart.addSeries(round == 0 ? "each round" : "round " + (round + 1), contenders,
                    values);
            marks.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Scatter);
            marks.setMarker(SeriesMarkers.DIAMOND);
            marks.setMarkerColor(Color.BLACK);
            marks.setShowInLegend(round == 0);
        }
        Charts.savePng(chart, file);
    }
}
