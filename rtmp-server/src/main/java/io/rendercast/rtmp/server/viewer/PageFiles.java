package io.rendercast.rtmp.server.viewer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * An application's own page and files, served from a folder on the HTTP port in place of the built-in viewer
 * page. Only regular files inside the folder are served: no {@code ..}, no hidden files, no link that leads out.
 * Files are read at each request, so a page being written is reloaded as it changes; they are pages and scripts,
 * small enough to read whole on the network thread, and anything larger than {@value #MAX_BYTES} bytes is refused.
 */
public final class PageFiles {

    static final long MAX_BYTES = 8L << 20;
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"), Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"), Map.entry("json", "application/json"),
            Map.entry("txt", "text/plain; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("jpg", "image/jpeg"), Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"), Map.entry("webp", "image/webp"), Map.entry("ico", "image/x-icon"),
            Map.entry("wasm", "application/wasm"), Map.entry("map", "application/json"));

    private volatile Path root;

    /** Serves {@code folder}'s files from now on; null serves none. */
    public void serve(Path folder) {
        if (folder != null && !Files.isDirectory(folder)) {
            throw new IllegalArgumentException("not a folder: " + folder);
        }
        try {
            // Its real path: a folder reached through a link (/srv/site -> /data/site) serves its files.
            root = folder == null ? null : folder.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The file at a request's path, or null when there is no folder or no such file in it. */
    ViewerAssets.Asset find(String path) throws IOException {
        Path folder = root;
        if (folder == null) {
            return null;
        }
        String relative = path.equals("/") ? "index.html" : path.substring(1);
        for (String segment : relative.split("/", -1)) {
            if (segment.isEmpty() || segment.startsWith(".") || segment.contains("\\") || segment.indexOf(0) >= 0) {
                return null;
            }
        }
        Path file = folder.resolve(relative).normalize();
        if (!file.startsWith(folder) || !Files.isRegularFile(file)
                || !file.toRealPath().startsWith(folder)) {
            return null;
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new IOException(path + " is larger than the " + (MAX_BYTES >> 20) + " MiB a page file may be");
        }
        String name = file.getFileName().toString();
        String extension = name.substring(name.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        return new ViewerAssets.Asset(Files.readAllBytes(file), TYPES.getOrDefault(extension,
                "application/octet-stream"));
    }
}
