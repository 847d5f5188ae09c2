package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The demo as a node behind a balancer: SIGTERM drains it. {@code /health} turns 503 and the agent check says
 * {@code drain} at once; an ffmpeg player already playing plays on until the drain deadline, is then told and
 * closed; and the process exits 0.
 */
class DrainInteropTest {

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String agent(int port) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
        }
    }

    /** {@code /health}'s status and body. */
    private record Health(int status, String body) {
    }

    private static Health health(int port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/health").toURL()
                .openConnection();
        try {
            int status = connection.getResponseCode();
            var body = status < 400 ? connection.getInputStream() : connection.getErrorStream();
            return new Health(status, new String(body.readAllBytes(), StandardCharsets.UTF_8));
        } finally {
            connection.disconnect();
        }
    }

    @Test
    void sigtermDrainsLetsThePlayerPlayOnToTheDeadlineAndExitsZero() throws Exception {
        ExternalTool.FFMPEG.require();
        String ffmpeg = "ffmpeg";
        int rtmp = freePort();
        int http = freePort();
        int agentPort = freePort();
        // The demo's modules, and the jars surefire left on the class path that they need at run time
        // (Prometheus' configuration, read reflectively), minus what only the tests use.
        List<String> modulePath = java.util.stream.Stream.of(System.getProperty("jdk.module.path"),
                        System.getProperty("java.class.path", ""))
                .flatMap(path -> Arrays.stream(path.split(File.pathSeparator)))
                .filter(entry -> !entry.isBlank() && !entry.contains("junit") && !entry.contains("opentest4j")
                        && !entry.contains("apiguardian") && !entry.contains("awaitility")
                        && !entry.contains("hamcrest") && !entry.contains("link-emulator")
                        && !entry.contains("surefire") && !entry.contains("test-classes")).distinct().toList();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=org.bytedeco.javacpp,org.bytedeco.ffmpeg,io.netty.common",
                // As the tests' own JVM resolves it: every module on the path (the launcher's folder holds no more).
                "--module-path", String.join(File.pathSeparator, modulePath), "--add-modules", "ALL-MODULE-PATH",
                "-m", "io.rendercast.demo/io.rendercast.demo.DemoMain", "--host=127.0.0.1", "--port=" + rtmp,
                "--http-port=" + http, "--agent-port=" + agentPort, "--rtmps-port=0", "--webrtc-port=0",
                "--size=320x180", "--drain-timeout=4"));
        Process demo = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> listening = new CompletableFuture<>();
        StringBuilder said = new StringBuilder();
        Thread reader = Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(demo.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    said.append(line).append('\n');
                    if (line.startsWith("stop it:")) {
                        listening.complete(null);
                    }
                }
            } catch (IOException e) {
                // the demo ended
            }
            listening.complete(null);
        });
        Process player = null;
        try {
            listening.get(60, TimeUnit.SECONDS);
            assertTrue(demo.isAlive(), "the demo started: " + said);
            Health open;
            try {
                open = health(http);
            } catch (IOException e) {
                throw new AssertionError("no /health on port " + http + ": " + e + "; the demo said:\n" + said, e);
            }
            assertEquals(200, open.status(), said.toString());
            assertTrue(agent(agentPort).matches("up \\d+%"), said.toString());
            player = new ProcessBuilder(ffmpeg, "-nostdin", "-v", "error", "-i", "rtmp://127.0.0.1:" + rtmp
                    + "/live/demo", "-f", "null", "-", "-progress", "pipe:1", "-stats_period", "0.25")
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            AtomicLong frames = new AtomicLong();
            Process playing = player;
            Thread.ofPlatform().daemon().start(() -> {
                try (BufferedReader progress = new BufferedReader(new InputStreamReader(playing.getInputStream()))) {
                    String line;
                    while ((line = progress.readLine()) != null) {
                        if (line.startsWith("frame=")) {
                            frames.set(Long.parseLong(line.substring(6).trim()));
                        }
                    }
                } catch (IOException | NumberFormatException e) {
                    // ffmpeg ended
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (frames.get() < 30 && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(100);
            }
            assertTrue(frames.get() >= 30, "ffmpeg plays before the drain: " + frames.get());

            demo.destroy(); // SIGTERM
            TimeUnit.MILLISECONDS.sleep(500);
            Health draining = health(http);
            assertEquals(503, draining.status(), draining.body());
            assertTrue(draining.body().startsWith("draining"), draining.body());
            assertEquals("drain", agent(agentPort));
            long atDrain = frames.get();
            TimeUnit.SECONDS.sleep(2);
            assertTrue(frames.get() > atDrain + 30, "the player plays on while the node drains: " + atDrain + " then "
                    + frames.get());
            assertTrue(player.waitFor(20, TimeUnit.SECONDS), "ffmpeg ends once the drain deadline closes it");
            assertTrue(demo.waitFor(30, TimeUnit.SECONDS), "the demo exits after the drain");
            reader.join(5000); // the rest of what it said
            assertEquals(0, demo.exitValue(), said.toString());
        } finally {
            demo.destroyForcibly();
            if (player != null) {
                player.destroyForcibly();
            }
        }
    }
}
