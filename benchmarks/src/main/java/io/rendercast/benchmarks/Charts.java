package io.rendercast.benchmarks;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;

/** The benchmarks' charts, drawn by XChart without a display: one look for all, and the PNG they are saved as. */
final class Charts {

    static final Color RENDERCAST = new Color(0x2E7D32);
    static final Color RENDERCAST_LIGHT = new Color(0x81C784);
    static final Color OTHERS = new Color(0x9E9E9E);

    private Charts() {
    }

    /** Java2D without a display; called before a chart is built, so that AWT starts headless. */
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    /** White, no border, a bold title, plain 12 pt text, numbers in {@link Locale#ROOT}. */
    static void style(AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(false);
        styler.setChartFontColor(Color.BLACK);
        styler.setAxisTickLabelsColor(Color.BLACK);
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        styler.setLegendBorderColor(Color.WHITE);
        styler.setPlotGridLinesColor(new Color(0xE0E0E0));
        styler.setLocale(Locale.ROOT);
        styler.setAntiAlias(true);
        styler.setTextAntiAlias(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideS);
        styler.setLegendLayout(Styler.LegendLayout.Horizontal);
    }

    static void savePng(Chart<?, ?> chart, Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartEncoder.saveChart(chart, out, "png");
        }
    }
}
