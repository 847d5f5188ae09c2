package io.rendercast.rtmp.server.viewer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The viewer page's files, read once from this module's resources: the page ({@code /}, and {@code /viewer.html}
 * where an application's own page takes {@code /}), its script, the browser client module {@code /rendercast.js}
 * that an application's page imports, and mpegts.js for the FLV fallback.
 */
final class ViewerAssets {

    /** A file and its content type; {@code bytes} is null when the build did not bring it in. */
    record Asset(byte[] bytes, String contentType) {
    }

    private static final Map<String, String> TYPES = Map.of(
            "/", "text/html; charset=utf-8",
            "/viewer.html", "text/html; charset=utf-8",
            "/viewer.js", "text/javascript; charset=utf-8",
            "/rendercast.js", "text/javascript; charset=utf-8",
            "/mpegts.js", "text/javascript; charset=utf-8");
    private static final Map<String, Asset> CACHE = new ConcurrentHashMap<>();

    private ViewerAssets() {
    }

    /** The asset at {@code path}, or null when there is none. */
    static Asset get(String path) {
        String type = TYPES.get(path);
        if (type == null) {
            return null;
        }
        return CACHE.computeIfAbsent(path, p -> new Asset(read(p.equals("/") ? "viewer.html" : p.substring(1)),
                type));
    }

    private static byte[] read(String name) {
        try (InputStream in = ViewerAssets.class.getResourceAsStream(name)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
