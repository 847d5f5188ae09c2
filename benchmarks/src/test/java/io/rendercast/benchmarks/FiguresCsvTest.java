package io.rendercast.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The figures' CSV files, read by a CSV reader that knows nothing of how they were written (Commons CSV's
 * RFC 4180 parser): what {@link EncodePipeline} writes, and the files committed under {@code docs/}.
 */
class FiguresCsvTest {

    private static final Path DOCS = Path.of("..", "docs");
    /** A reader of plain RFC 4180, told only that '#' starts a comment and that the first record is the header. */
    private static final CSVFormat READER = CSVFormat.RFC4180.builder().setCommentMarker('#').setHeader()
            .setSkipHeaderRecord(true).get();

    @TempDir
    Path dir;

    @Test
    void contenderNameWithACommaIsOneField() throws IOException {
        Map<String, List<Double>> fps = new LinkedHashMap<>();
        fps.put(EncodePipeline.REFERENCE, List.of(115.5, 118.2));
        fps.put("Rendercast, encode alone", List.of(109.0, 105.3));
        fps.put("a \"quoted\" name, and a comma", List.of(1.0, 2.0));
        Path file = dir.resolve("pipeline.csv");
        EncodePipeline.writeCsv(file, fps, "./rendercast bench pipeline 600 2");

        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = READER.parse(in)) {
            assertEquals("./rendercast bench pipeline 600 2", parser.getHeaderComment());
            assertEquals(List.of("contender", "round", "fps"), parser.getHeaderNames());
            List<CSVRecord> records = parser.getRecords();
            assertEquals(6, records.size());
            for (CSVRecord record : records) {
                assertEquals(3, record.size(), "fields of " + record);
            }
            assertEquals(List.of("Rendercast, encode alone", "2", "105.3"), records.get(3).toList());
            assertEquals(List.of("a \"quoted\" name, and a comma", "1", "1.0"), records.get(4).toList());
            assertEquals(List.of(EncodePipeline.REFERENCE, "1", "115.5"), records.get(0).toList());
        }
        assertTrue(Files.readAllLines(file).contains("\"Rendercast, encode alone\",1,109.0"),
                "a name with a comma quoted, the rest of the line as before");
    }

    @Test
    void committedPipelineFiguresHaveThreeFieldsARecord() throws IOException {
        List<CSVRecord> records = parse(DOCS.resolve("pipeline.csv"), List.of("contender", "round", "fps"));
        assertTrue(records.stream().anyMatch(r -> r.get("contender").equals("Rendercast, encode alone")),
                "the contenders with a comma in their name read whole");
        for (CSVRecord record : records) {
            Integer.parseInt(record.get("round"));
            Double.parseDouble(record.get("fps"));
        }
    }

    @Test
    void committedFanOutFiguresHaveAFieldAColumn() throws IOException {
        List<CSVRecord> records = parse(DOCS.resolve("fanout.csv"), FanOutBenchmark.COLUMNS);
        assertEquals(records.size(), FanOutChart.read(DOCS.resolve("fanout.csv")).size());
    }

    /** Read and written again, the committed pipeline figures are the same bytes: the layout is the one they have. */
    @Test
    void committedPipelineFiguresAreWrittenAsTheyAre() throws IOException {
        CsvFiles.Table table = CsvFiles.read(DOCS.resolve("pipeline.csv"));
        Map<String, List<Double>> fps = new LinkedHashMap<>();
        for (CSVRecord r : table.records()) {
            fps.computeIfAbsent(r.get("contender"), k -> new ArrayList<>())
                    .add(Double.parseDouble(r.get("fps")));
        }
        Path file = dir.resolve("pipeline.csv");
        EncodePipeline.writeCsv(file, fps, table.comment());
        assertEquals(Files.readString(DOCS.resolve("pipeline.csv")), Files.readString(file));
    }

    @Test
    void committedFiguresAreDrawnAgain() throws IOException {
        Path fanout = dir.resolve("fanout.png");
        FanOutChart.main(new String[] {DOCS.resolve("fanout.csv").toString(), fanout.toString()});
        Path pipeline = dir.resolve("pipeline.png");
        PipelineChart.main(new String[] {DOCS.resolve("pipeline.csv").toString(), pipeline.toString()});
        for (Path png : List.of(fanout, pipeline)) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(image != null && image.getWidth() >= 900 && image.getHeight() >= 400, png + ": " + image);
        }
    }

    private static List<CSVRecord> parse(Path file, List<String> header) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = READER.parse(in)) {
            assertEquals(header, parser.getHeaderNames(), file + "'s header");
            List<CSVRecord> records = parser.getRecords();
            assertTrue(!records.isEmpty(), file + " has records");
            for (CSVRecord record : records) {
                assertEquals(header.size(), record.size(), file + ", record " + record.getRecordNumber()
                        + ": " + record);
                assertTrue(record.isConsistent(), file + ": " + record);
            }
            return records;
        }
    }
}
