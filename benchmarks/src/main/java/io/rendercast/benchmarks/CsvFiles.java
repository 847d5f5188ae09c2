package io.rendercast.benchmarks;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

/**
 * The figures' CSV files, written and read in one format: RFC 4180 (a field with a comma or a quote is quoted),
 * records ended by {@code \n}, and a line starting with {@code #} a comment, which names the command that made
 * the figures where a file has one.
 */
final class CsvFiles {

    static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setRecordSeparator('\n')
            .setCommentMarker('#')
            .get();

    /** A file read: its comment before the header (null if none), the header's names, and the records after it. */
    record Table(String comment, List<String> header, List<CSVRecord> records) {
    }

    private CsvFiles() {
    }

    /**
     * Writes {@code comment} (left out when null), the header and the rows; each row's cells are written as their
     * {@code toString()}, so a number is formatted by the caller as the file should show it.
     */
    static void write(Path file, String comment, List<String> header, List<? extends List<?>> rows)
            throws IOException {
        try (CSVPrinter printer = FORMAT.print(file, StandardCharsets.UTF_8)) {
            if (comment != null) {
                printer.printComment(comment);
            }
            printer.printRecord(header);
            for (List<?> row : rows) {
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("a row of " + file + " has " + row.size() + " cells, the "
                            + "header " + header.size() + ": " + row);
                }
                printer.printRecord(row);
            }
        }
    }

    /** Reads a file written by {@link #write}, or any CSV whose first record is its header (JMH's, with quotes). */
    static Table read(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
             CSVParser parser = FORMAT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
            return new Table(parser.getHeaderComment(), parser.getHeaderNames(), parser.getRecords());
        }
    }
}
