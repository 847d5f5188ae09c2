package io.rendercast.demo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.module.ResolvedModule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Enumeration;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The {@code ffmpeg} and {@code ffprobe} 8.1.2 programs that JavaCPP's FFmpeg natives jar holds beside the
 * libraries, unpacked once into {@code target/ffmpeg-8}. Debian's ffmpeg (5.1) predates Enhanced RTMP; these
 * speak it (with {@code -rtmp_enhanced_codecs}, which also makes a player list the codecs in connect).
 */
final class BundledFfmpeg {

    private static final String NATIVES_MODULE = "org.bytedeco.ffmpeg.linux.x86_64.gpl";
    private static final String FOLDER = "org/bytedeco/ffmpeg/linux-x86_64-gpl/";
    private static Path unpacked;

    private BundledFfmpeg() {
    }

    static ExternalTool ffmpeg() {
        return tool("ffmpeg");
    }

    static ExternalTool ffprobe() {
        return tool("ffprobe");
    }

    private static ExternalTool tool(String name) {
        Path dir = unpack();
        return new ExternalTool(dir.resolve(name).toString(), "(JavaCPP's FFmpeg natives jar)",
                Map.of("LD_LIBRARY_PATH", dir.toString()));
    }

    private static synchronized Path unpack() {
        if (unpacked != null) {
            return unpacked;
        }
        URI jar = ModuleLayer.boot().configuration().findModule(NATIVES_MODULE).map(ResolvedModule::reference)
                .flatMap(reference -> reference.location()).orElseThrow(() -> new IllegalStateException(
                        NATIVES_MODULE + " is not on the module path"));
        Path dir = Path.of("target", "ffmpeg-8").toAbsolutePath();
        try (ZipFile zip = new ZipFile(Path.of(jar).toFile())) {
            Files.createDirectories(dir);
            Enumeration<? extends ZipEntry> entries = zip.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (!name.startsWith(FOLDER) || entry.isDirectory() || name.substring(FOLDER.length()).contains("/")) {
                    continue;
                }
                Path target = dir.resolve(name.substring(FOLDER.length()));
                try (InputStream in = zip.getInputStream(entry)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                target.toFile().setExecutable(true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack ffmpeg from " + jar, e);
        }
        unpacked = dir;
        return dir;
    }
}
