package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Rendercast as a user takes it: modules on {@code --module-path}, not the class path. A small application
 * ({@link EncodersMain}, which knows only the API) finds the server and the encoders at run time; adding
 * {@code encoder-nvenc} to the module path changes what it finds, not its code.
 */
class ModulePathTest {

    /** The module path this test runs on: the demo's classes and every runtime dependency, as jars. */
    private static List<String> modulePath() {
        String path = System.getProperty("jdk.module.path");
        assertTrue(path != null && !path.isBlank(), "the tests run on the module path");
        return Arrays.stream(path.split(File.pathSeparator)).filter(entry -> !entry.contains("junit")
                && !entry.contains("opentest4j") && !entry.contains("apiguardian")).toList();
    }

    private static String run(List<String> modulePath, String... options) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(options));
        command.add("--enable-native-access=org.bytedeco.javacpp,org.bytedeco.ffmpeg,com.sun.jna,org.lwjgl,org.lwjgl.opengl");
        command.addAll(List.of("--module-path", String.join(File.pathSeparator, modulePath),
                "-m", "io.rendercast.demo/io.rendercast.demo.EncodersMain"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS));
        return "exit " + process.exitValue() + "\n" + output;
    }

    @Test
    void apiServerAndSoftwareEncodersAloneWork() throws Exception {
        List<String> withoutNvenc = modulePath().stream().filter(entry -> {
            String jar = Path.of(entry).getFileName().toString();
            return !jar.startsWith("encoder-nvenc") && !jar.startsWith("nvcodec-") && !jar.startsWith("cuda-")
                    && !jar.startsWith("jna-");
        }).toList();
        assertTrue(withoutNvenc.size() < modulePath().size(), "the NVENC jars were on the module path to leave out");
        String output = run(withoutNvenc);
        assertTrue(output.startsWith("exit 0"), output);
        assertTrue(output.contains("x264") && output.contains("h264: auto chose x264"), output);
        assertFalse(output.contains("nvenc"), output);
    }

    @Test
    void addingNvencNeedsNoCodeChangeAndAutoStillWorksWhereItCannotRun() throws Exception {
        String output = run(modulePath());
        assertTrue(output.startsWith("exit 0"), output);
        String nvencLine = output.lines().filter(line -> line.trim().startsWith("nvenc")).collect(Collectors.joining());
        assertFalse(nvencLine.isEmpty(), output);
        if (nvencLine.contains("unavailable")) {
            assertTrue(output.contains("h264: auto chose x264") && output.contains("passed over nvenc"), output);
            String named = run(modulePath(), "-Drendercast.encoder=nvenc");
            assertTrue(named.startsWith("exit 1"), named);
            assertTrue(named.contains("encoder 'nvenc' cannot run here"), named);
            assertTrue(named.contains("sorenson: auto chose sorenson"), "other codecs still chosen: " + named);
        } else {
            assertTrue(output.contains("h264: auto chose nvenc"), output);
        }
    }

    @Test
    void packagesTheModulesDoNotExportStayHidden() throws Exception {
        // The demo reads the API only: the server's internals are not visible to it, even reflectively.
        Module demo = ModulePathTest.class.getModule();
        assertEquals("io.rendercast.demo", demo.getName());
        Module server = demo.getLayer().findModule("io.rendercast.rtmp.server").orElseThrow();
        assertFalse(server.isExported("io.rendercast.rtmp.server.connection"));
        assertFalse(server.isExported("io.rendercast.rtmp.server"));
        Module protocol = demo.getLayer().findModule("io.rendercast.rtmp.protocol").orElseThrow();
        assertFalse(protocol.isExported("io.rendercast.rtmp.protocol.chunk", demo),
                "the protocol's packages are for the server and the benchmarks only");
        assertTrue(protocol.isExported("io.rendercast.rtmp.protocol.chunk", server));
        Module api = demo.getLayer().findModule("io.rendercast.rtmp").orElseThrow();
        assertTrue(api.isExported("io.rendercast.rtmp") && api.isExported("io.rendercast.video"));
        assertTrue(api.getDescriptor().requires().stream().allMatch(r -> r.name().equals("java.base")),
                "the API depends on nothing: " + api.getDescriptor().requires());
    }
}
