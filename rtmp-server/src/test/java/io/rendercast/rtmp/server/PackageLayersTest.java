package io.rendercast.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The server's packages are layers that only point down: the server, then webrtc, viewer and connection, then relay and
 * broadcast, then playback, then transport, common and metrics. Read from the sources, as a newcomer reads them.
 */
class PackageLayersTest {

    private static final Path SOURCES = Path.of("src/main/java/io/rendercast/rtmp/server");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?io\\.rendercast\\.rtmp\\.server\\.(\\w+)\\.",
            Pattern.MULTILINE);
    private static final Map<String, Integer> LAYER = Map.of("webrtc", 7, "viewer", 6, "connection", 5, "relay", 4,
            "broadcast", 3, "playback", 2, "transport", 1, "common", 0, "metrics", 0);

    @Test
    void everyPackageImportsOnlyLayersBelowIt() throws IOException {
        List<String> upward = new ArrayList<>();
        int read = 0;
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path folder = SOURCES.relativize(file).getParent();
                String from = folder == null ? null : folder.toString();
                if (from == null) {
                    continue; // the server itself sits on top
                }
                assertTrue(LAYER.containsKey(from), "package " + from + " has no place in the layers");
                read++;
                Matcher imports = IMPORT.matcher(Files.readString(file));
                while (imports.find()) {
                    String to = imports.group(1);
                    if (!to.equals(from) && (!LAYER.containsKey(to) || LAYER.get(to) >= LAYER.get(from))) {
                        upward.add(file.getFileName() + " in " + from + " imports " + to);
                    }
                }
            }
        }
        assertTrue(read > 30, "read the server's sources (" + read + " files)");
        assertEquals(List.of(), upward, "imports that point up or sideways");
    }
}
