package io.rendercast.benchmarks;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;

/** A bar chart of the fan-out results: marginal CPU-seconds per GB, each load, the servers side by side. */
final class FanOutChart {

    /** The servers drawn, in this order, where the results have them; NIO is left to the CSV. */
    private static final List<String> SERIES = List.of("rendercast", "rendercast-at-once", "nginx-rtmp");
    private static final List<String> LABELS = List.of("Rendercast broadcast (writes held 100 ms)",
            "Rendercast, each frame written at once", "nginx-rtmp (fed by ffmpeg)");
    private static final List<Color> COLORS = List.of(new Color(0x2E7D32), new Color(0x81C784), new Color(0x9E9E9E));

    private FanOutChart() {
    }

    /** Draws the chart again from a {@code fanout.csv}: {@code FanOutChart CSV PNG}. */
    public static void main(String[] args) throws IOException {
        List<String> lines = java.nio.file.Files.readAllLines(Path.of(args[0]));
        List<FanOutBenchmark.Result> results = new java.util.ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",");
            FanOutBenchmark.Load load = new FanOutBenchmark.Load(Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Integer.parseInt(f[3]), Long.parseLong(f[4]));
            results.add(new FanOutBenchmark.Result(f[0], load, Integer.parseInt(f[5]), Double.parseDouble(f[6]),
                    Double.parseDouble(f[7]), Double.parseDouble(f[8]), Long.parseLong(f[9]),
                    Double.parseDouble(f[10]), Double.parseDouble(f[11]), Long.parseLong(f[12]),
                    Double.parseDouble(f[13]), Double.parseDouble(f[14]), Double.parseDouble(f[16])
                            * Double.parseDouble(f[11])));
        }
        write(Path.of(args[1]), results);
    }

    static void write(Path file, List<FanOutBenchmark.Result> results) throws IOException {
        int width = 900;
        int height = 480;
        BufferedImage image = ChartPaper.image(width, height);
        Graphics2D g = ChartPaper.start(image,
                "Fan-out: server CPU-seconds per GB sent, beyond one player (lower is better)",
                "repeat: ./rendercast bench fanout   (" + Runtime.getRuntime().availableProcessors()
                        + " cores; the crowd of players in the same machine)");
        double max = results.stream().mapToDouble(FanOutBenchmark.Result::marginalCpuPerGb).max().orElse(1);
        int left = 60;
        int bottom = height - 80;
        int plotHeight = bottom - 60;
        List<FanOutBenchmark.Result> rendercast = results.stream().filter(r -> r.server().equals("rendercast")).toList();
        int groups = rendercast.size();
        int groupWidth = (width - left - 20) / Math.max(1, groups);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, bottom, width - 20, bottom);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        List<String> series = SERIES.stream()
                .filter(name -> results.stream().anyMatch(r -> r.server().equals(name))).toList();
        int bar = groupWidth * 2 / (3 * Math.max(1, series.size()));
        for (int i = 0; i < groups; i++) {
            FanOutBenchmark.Result ours = rendercast.get(i);
            int x = left + i * groupWidth + groupWidth / 6;
            for (int k = 0; k < series.size(); k++) {
                String name = series.get(k);
                FanOutBenchmark.Result result = results.stream()
                        .filter(r -> r.server().equals(name) && r.load().equals(ours.load())).findFirst().orElse(null);
                if (result != null) {
                    bar(g, x + k * bar, bottom, bar, plotHeight, result.marginalCpuPerGb() / max, COLORS.get(k),
                            result.marginalCpuPerGb());
                }
            }
            g.setColor(Color.BLACK);
            g.drawString(ours.load().describe(), x - 10, bottom + 20);
        }
        int legend = left;
        for (int k = 0; k < series.size(); k++) {
            g.setColor(COLORS.get(k));
            g.fillRect(legend, height - 35, 14, 14);
            g.setColor(Color.BLACK);
            g.drawString(LABELS.get(k), legend + 20, height - 23);
            legend += 20 + g.getFontMetrics().stringWidth(LABELS.get(k)) + 30;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    /** A bar; a negative value (the fan-out cost less than the noise of the one-player run) is said so. */
    private static void bar(Graphics2D g, int x, int bottom, int width, int plotHeight, double fraction, Color color,
                            double value) {
        int h = (int) Math.round(Math.max(0, fraction) * plotHeight);
        g.setColor(color);
        g.fillRect(x, bottom - h, width - 4, h);
        g.setColor(Color.BLACK);
        g.drawString(value < 0 ? "below noise" : String.format(Locale.ROOT, "%.2f", value), x, bottom - h - 4);
    }
}
