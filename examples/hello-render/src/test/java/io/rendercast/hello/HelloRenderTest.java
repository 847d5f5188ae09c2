package io.rendercast.hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * hello-render as its users meet it: the application runs on the module path in a process of its own, as
 * {@code java -p ... -m} starts it; ffmpeg plays it over RTMP and HTTP-FLV, and the decoded pictures show the
 * white bar on blue; its call, {@code setSpeed}, stops and starts the bar that ffmpeg sees; its own page plays in
 * Chromium through the browser client module and steers it, and shows the application's error for a bad call.
 */
class HelloRenderTest {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static Process app;
    private static int rtmpPort;
    private static int httpPort;

    @BeforeAll
    static void startTheApplication() throws Exception {
        rtmpPort = freePort();
        httpPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        if (Runtime.version().feature() >= 24) {
            command.add("--sun-misc-unsafe-memory-access=allow");
        }
        command.addAll(List.of("--enable-native-access=io.netty.common,org.bytedeco.javacpp,org.bytedeco.ffmpeg",
                "--add-modules", "io.netty.transport.classes.epoll,io.netty.transport.epoll.linux.x86_64",
                "-p", "target/modules" + File.pathSeparator + "target/classes",
                "-m", "io.rendercast.hello/io.rendercast.hello.HelloRender",
                String.valueOf(rtmpPort), String.valueOf(httpPort), "web"));
        app = new ProcessBuilder(command).redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream()))) {
                String line;
                while ((line = out.readLine()) != null) {
                    System.out.println("[hello-render] " + line);
                    if (line.startsWith("hello-render: rtmp")) {
                        ready.complete(null);
                    }
                }
                ready.completeExceptionally(new IOException("hello-render ended before it listened"));
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
        });
        ready.get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stopTheApplication() throws Exception {
        if (app != null) {
            app.destroy(); // SIGTERM: its shutdown hook closes the server
            assertTrue(app.waitFor(30, TimeUnit.SECONDS), "hello-render exits once its server is closed");
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tool(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        String why = name + " is not installed; ./rendercast test installs it";
        if ("true".equals(System.getenv("CI"))) {
            fail(why);
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(false, why);
        return null;
    }

    /** {@code count} frames as ffmpeg decodes them from {@code url}, gray, one byte a pixel. */
    private static List<byte[]> decode(String url, int count) throws Exception {
        Process ffmpeg = new ProcessBuilder(tool("ffmpeg"), "-nostdin", "-v", "error", "-i", url,
                "-frames:v", String.valueOf(count), "-f", "rawvideo", "-pix_fmt", "gray", "-")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<byte[]> frames = new ArrayList<>();
        try (InputStream pictures = ffmpeg.getInputStream()) {
            for (int i = 0; i < count; i++) {
                byte[] frame = pictures.readNBytes(WIDTH * HEIGHT);
                if (frame.length < WIDTH * HEIGHT) {
                    break;
                }
                frames.add(frame);
            }
        } finally {
            if (!ffmpeg.waitFor(30, TimeUnit.SECONDS)) {
                ffmpeg.destroyForcibly();
            }
        }
        assertEquals(count, frames.size(), "ffmpeg decoded " + frames.size() + " frames of " + count + " from " + url);
        return frames;
    }

    /** Where the white bar starts on the middle row of a gray frame; fails when the picture is not bar on blue. */
    private static int barAt(byte[] frame) {
        int row = HEIGHT / 2 * WIDTH;
        int first = -1;
        int bright = 0;
        for (int x = 0; x < WIDTH; x++) {
            int luma = frame[row + x] & 0xFF;
            if (luma > 200) {
                bright++;
                first = first < 0 ? x : first;
            } else {
                assertTrue(luma > 40 && luma < 110, "blue around the bar (luma about 65), got " + luma + " at " + x);
            }
        }
        assertTrue(bright >= 36 && bright <= 44, "a bar 40 pixels wide, got " + bright);
        return first;
    }

    @Test
    void ffmpegPlaysItOverRtmpAndHttpFlv() throws Exception {
        for (String url : List.of("rtmp://127.0.0.1:" + rtmpPort + "/hello/bar",
                "http://127.0.0.1:" + httpPort + "/hello/bar.flv")) {
            List<byte[]> frames = decode(url, 30);
            frames.forEach(HelloRenderTest::barAt);
        }
    }

    @Test
    void itsOwnCallStopsAndStartsTheBarThatAnRtmpPlayerSees() throws Exception {
        try (Caller caller = new Caller()) {
            assertEquals("{\"type\":\"result\",\"id\":3,\"value\":0}", caller.call(3, "0"));
            List<Integer> stopped = decode("rtmp://127.0.0.1:" + rtmpPort + "/hello/bar", 20).stream()
                    .map(HelloRenderTest::barAt).distinct().toList();
            assertEquals(1, stopped.size(), "at speed 0 the bar stands still: " + stopped);
            assertTrue(caller.call(4, "12").contains("\"value\":12"));
            List<Integer> moving = decode("rtmp://127.0.0.1:" + rtmpPort + "/hello/bar", 20).stream()
                    .map(HelloRenderTest::barAt).distinct().toList();
            assertTrue(moving.size() > 5, "at speed 12 the bar moves: " + moving);
            String refused = caller.call(5, "\"fast\"");
            assertTrue(refused.contains("\"type\":\"error\"") && refused.contains("setSpeed takes one number"),
                    refused);
        }
    }

    @Test
    void itsOwnPagePlaysInChromiumAndSteersIt(@TempDir Path temporary) throws Exception {
        tool("chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(tool("chromedriver"))).usingAnyFreePort()
                // Chromium's temporary files there, deleted after the test: it leaves a folder in /tmp otherwise.
                .withEnvironment(Map.of("TMPDIR", temporary.toString())).build();
        ChromeDriver chromium = new ChromeDriver(service, options);
        try {
            JavascriptExecutor page = chromium;
            chromium.get("http://127.0.0.1:" + httpPort + "/");
            waitUntil(() -> ((Number) page.executeScript(
                    "return window.hello ? hello.player.stats.framesDecoded : 0")).longValue() >= 30,
                    "the page decodes 30 frames", page);
            page.executeScript("return hello.setSpeed(0)");
            TimeUnit.MILLISECONDS.sleep(500);
            long still = ((Number) page.executeScript("return hello.barAt()")).longValue();
            TimeUnit.MILLISECONDS.sleep(700);
            assertEquals(still, ((Number) page.executeScript("return hello.barAt()")).longValue(),
                    "the bar stands still at speed 0");
            assertTrue(still >= 0, "the page shows the bar");
            page.executeScript("return hello.setSpeed(20)");
            TimeUnit.MILLISECONDS.sleep(700);
            assertNotEquals(still, ((Number) page.executeScript("return hello.barAt()")).longValue(),
                    "the bar moves again at speed 20");
            page.executeScript("return hello.setSpeed(99)");
            waitUntil(() -> String.valueOf(page.executeScript("return document.getElementById('error').textContent"))
                    .contains("setSpeed takes one number from 0 to 40"), "the application's error is on the page",
                    page);
            // The built-in page, beside it at /viewer.html, offers none of the demo's inputs to this application.
            chromium.get("http://127.0.0.1:" + httpPort + "/viewer.html?stream=hello/bar");
            waitUntil(() -> String.valueOf(page.executeScript("return document.querySelector('footer').textContent"))
                    .contains("takes no input from this page"), "the built-in page is neutral for hello-render",
                    page);
            assertEquals(Boolean.TRUE, page.executeScript("return document.getElementById('recolour').hidden"));
        } finally {
            chromium.quit();
        }
    }

    private static void waitUntil(BooleanSupplier condition, String what, JavascriptExecutor page)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
        fail("not within 30 s: " + what + "; state '" + page.executeScript(
                "return document.getElementById('state').textContent + ' / ' + "
                        + "document.getElementById('error').textContent") + "'");
    }

    /** The application's call over the page's WebSocket, from the JDK's own client: raw JSON, as docs/protocol.md says. */
    private final class Caller implements AutoCloseable {
        private final java.util.concurrent.LinkedBlockingQueue<String> texts =
                new java.util.concurrent.LinkedBlockingQueue<>();
        private final WebSocket socket;

        Caller() throws Exception {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(
                    URI.create("ws://127.0.0.1:" + httpPort + "/ws/hello/caller"), new WebSocket.Listener() {
                        private final StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                texts.add(text.toString());
                                text.setLength(0);
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket webSocket, java.nio.ByteBuffer data,
                                                           boolean last) {
                            webSocket.request(1);
                            return null;
                        }
                    }).get(10, TimeUnit.SECONDS);
        }

        String call(int id, String argument) throws Exception {
            socket.sendText("{\"type\":\"call\",\"procedure\":\"setSpeed\",\"id\":" + id + ",\"args\":[" + argument
                    + "]}", true).get(10, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                String text = texts.poll(200, TimeUnit.MILLISECONDS);
                if (text != null && text.contains("\"id\":" + id + ",")) {
                    return text;
                }
            }
            throw new AssertionError("no answer to call " + id);
        }

        @Override
        public void close() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").join();
        }
    }
}
