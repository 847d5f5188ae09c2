package io.rendercast.benchmarks;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;

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
        List<String> lines = Files.readAllLines(csv);
        List<String> header = split(lines.getFirst());
        int name = header.indexOf("Benchmark");
        int score = header.indexOf("Score");
        int unit = header.indexOf("Unit");
        List<Integer> params = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).startsWith("Param: ")) {
                params.add(i);
            }
        }
        for (String line : lines.subList(1, lines.size())) {
            List<String> cells = split(line);
            String benchmark = cells.get(name);
            StringBuilder key = new StringBuilder(benchmark.replace(":gc.alloc.rate.norm", ""));
            for (int p : params) {
                if (!cells.get(p).isEmpty()) {
                    key.append(' ').append(cells.get(p));
                }
            }
            double value = Double.parseDouble(cells.get(score));
            String id = key.toString().replaceFirst("^io\\.rendercast\\.benchmarks\\.", "");
            if (benchmark.endsWith(":gc.alloc.rate.norm")) {
                Row row = rows.get(id);
                if (row != null) {
                    rows.put(id, new Row(row.name(), row.score(), row.unit(), value));
                }
            } else if (!benchmark.contains(":")) {
                rows.put(id, new Row(id, value, cells.get(unit), null));
            }
        }
        return List.copyOf(rows.values());
    }

    private static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        for (String cell : line.split(",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)", -1)) {
            cells.add(cell.replace("\"", ""));
        }
        return cells;
    }

    private static void write(Path file, List<Row> rows, String command) throws IOException {
        int rowHeight = 26;
        int width = 1100;
        int height = 90 + rows.size() * rowHeight;
        int left = 380;
        BufferedImage image = ChartPaper.image(width, height);
        Graphics2D g = ChartPaper.start(image,
                "Rendercast JMH suites: operations per second (log scale), bytes allocated per operation", command);
        double max = rows.stream().mapToDouble(r -> Math.log10(Math.max(1, r.score()))).max().orElse(1);
        int y = 70;
        for (Row row : rows) {
            int bar = (int) ((width - left - 220) * Math.log10(Math.max(1, row.score())) / max);
            g.setColor(Color.BLACK);
            g.drawString(row.name(), 15, y + 15);
            g.setColor(new Color(0x2E7D32));
            g.fillRect(left, y + 3, Math.max(1, bar), rowHeight - 8);
            g.setColor(Color.BLACK);
            g.drawString(String.format(Locale.ROOT, "%,.0f %s%s", row.score(), row.unit(), row.bytesPerOp() == null
                    ? "" : String.format(Locale.ROOT, ", %.1f B/op", row.bytesPerOp())), left + bar + 8, y + 15);
            y += rowHeight;
        }
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
