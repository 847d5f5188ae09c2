package io.rendercast.rtmp.server;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Browsers and FLV players on the HTTP port, played by the JDK's own WebSocket and HTTP clients: the same
 * application serves them as it serves RTMP players, calls go both ways, and back-pressure holds.
 */
@ExtendWith(LeakCheckExtension.class)
class WebSocketViewerTest {

    private TestApplication app = new TestApplication(3000, 10, 30);
    private NettyRtmpServer server;

    private InetSocketAddress start(RtmpServerOptions options) throws IOException {
        server = app.serve(options);
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        return server.httpAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A viewer that records what it gets; with {@code reading} false it takes five messages and then stalls. */
    static final class Viewer implements WebSocket.Listener {
        final BlockingQueue<String> texts = new LinkedBlockingQueue<>();
        final List<ByteBuffer> frames = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> closed = new CompletableFuture<>();
        private final boolean reading;
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        Viewer(boolean reading) {
            this.reading = reading;
        }

        @Override
        public void onOpen(WebSocket socket) {
            socket.request(reading ? Long.MAX_VALUE : 5);
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                texts.add(text.toString());
                text.setLength(0);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket socket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining()).put(binary).put(data).flip();
            binary = last ? ByteBuffer.allocate(0) : joined;
            if (last) {
                frames.add(joined);
            }
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int code, String reason) {
            closed.complete(code + " " + reason);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closed.complete("error " + error);
        }

        String expectText(String containing) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            List<String> seen = new java.util.ArrayList<>();
            while (System.nanoTime() < deadline) {
                String next = texts.poll(200, TimeUnit.MILLISECONDS);
                if (next != null && next.contains(containing)) {
                    return next;
                }
                if (next != null) {
                    seen.add(next);
                }
            }
            throw new AssertionError("no message with " + containing + "; saw " + seen);
        }
    }

    static WebSocket open(InetSocketAddress http, String path, Viewer viewer) throws Exception {
        return HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + http.getPort() + path), viewer).get(10, TimeUnit.SECONDS);
    }

    @Test
    void aBrowserViewerIsAConnectionLikeAnRtmpOneWithCallsBothWays() throws Exception {
        InetSocketAddress http = start(RtmpServerOptions.defaults());
        Viewer viewer = new Viewer(true);
        WebSocket socket = open(http, "/ws/live/cube?token=abc", viewer);
        viewer.expectText("NetConnection.Connect.Success");
        viewer.expectText("NetStream.Play.Start");
        waitFor("frames arrive as binary messages").until(() -> viewer.frames.size() >= 10);
        ByteBuffer first = viewer.frames.getFirst();
        assertEquals(0, first.getInt(0), "the first frame is stamped 0");
        assertEquals(0x17, first.get(4) & 0xFF, "after the timestamp, the FLV video tag as the frame handler made it");
        assertTrue(app.events.contains("connect live") && app.events.contains("create cube"), app.events.toString());

        socket.sendText("{\"type\":\"call\",\"procedure\":\"add\",\"id\":7,\"args\":[2,3.5]}", true).get();
        assertEquals("{\"type\":\"result\",\"id\":7,\"value\":5.5}", viewer.expectText("\"id\":7"));

        Connection connection = app.connections.getLast();
        CompletableFuture<Object> answer = connection.call("whoAreYou", "please");
        String call = viewer.expectText("whoAreYou");
        assertTrue(call.contains("\"type\":\"call\"") && call.contains("\"args\":[\"please\"]"), call);
        String id = call.replaceAll(".*\"id\":(\\d+).*", "$1");
        socket.sendText("{\"type\":\"result\",\"id\":" + id + ",\"value\":\"a browser\"}", true).get();
        assertEquals("a browser", answer.get(5, TimeUnit.SECONDS));
        assertTrue(connection.statistics().framesSent() >= 10, connection.statistics().toString());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get();
        // The server answers the closing handshake (a browser reports 1006, abnormal, when it only drops the socket).
        assertTrue(viewer.closed.get(10, TimeUnit.SECONDS).startsWith("1000"), viewer.closed.getNow(""));
        waitFor("the connect handler hears the viewer left").until(() -> app.events.contains("disconnect "));
    }


    @Test
    void aRefusedViewerGetsTheReasonAndIsClosed() throws Exception {
        InetSocketAddress http = start(RtmpServerOptions.defaults());
        Viewer viewer = new Viewer(true);
        open(http, "/ws/private/x", viewer);
        String error = viewer.expectText("\"type\":\"error\"");
        assertTrue(error.contains("\"id\":1") && error.contains("NetConnection.Connect.Rejected"), error);
        String closed = viewer.closed.get(10, TimeUnit.SECONDS);
        assertTrue(closed.startsWith("1008") && closed.contains("no connect handler"), "closed with the reason: " + closed);
    }

    @Test
    void aViewerThatStopsReadingIsToldFullAndHoldsBoundedMemory() throws Exception {
        int highWater = 256 * 1024;
        app = new TestApplication(100_000, 10, 30); // 3 MB/s: the socket buffers fill within seconds
        InetSocketAddress http = start(RtmpServerOptions.builder().outQueueFrames(4)
                .writeBuffer(highWater / 2, highWater).build());
        Viewer viewer = new Viewer(false);
        WebSocket socket = open(http, "/ws/live/stalled", viewer);
        waitFor("the stalled viewer's frame handler is told the out-queue is full")
                .until(() -> app.fullSeenByStream.containsKey("stalled") && app.fullSeenByStream.get("stalled").get() > 10);
        long pending = server.connections().stream().mapToLong(PendingBytes::of).max().orElse(0);
        assertTrue(pending <= highWater + 5L * 100_000, "queued for the stalled viewer: " + pending);
        socket.abort();
    }

    @Test
    void metricsInPrometheusTextFormatCountWhatPlayersAndRefusalsDid() throws Exception {
        InetSocketAddress http = start(RtmpServerOptions.defaults());
        try (RtmpTestClient refused = RtmpTestClient.open(server.listenAddress())) {
            assertEquals("_error", refused.connect("private").name());
        }
        try (RtmpTestClient player = RtmpTestClient.open(server.listenAddress())) {
            player.connect("live");
            player.play(player.createStream(), "measured");
            waitFor("frames arrive").until(() -> player.video().size() >= 30);
            HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.getPort() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, metrics.statusCode());
            String text = metrics.body();
            assertTrue(metrics.headers().firstValue("content-type").orElse("").startsWith("text/plain"), text);
            assertTrue(value(text, "rendercast_frames_sent_total") >= 30, text);
            assertTrue(value(text, "rendercast_frames_rendered_total") >= 30, text);
            assertTrue(value(text, "rendercast_streams_playing") == 1, text);
            assertTrue(value(text, "rendercast_connections") >= 1, text);
            assertTrue(value(text, "rendercast_bytes_sent_total") > 30 * 3000, text);
            assertTrue(value(text, "rendercast_frame_handler_seconds_count") >= 30, text);
            assertEquals(1, value(text, "rendercast_refusals_total{reason=\"no_handler\"}"), text);
        }
    }

    /** The value of the sample named {@code name} (with its labels) in Prometheus' text format. */
    private static double value(String text, String name) {
        return text.lines().filter(line -> line.startsWith(name + " ")).mapToDouble(line ->
                Double.parseDouble(line.substring(name.length() + 1).trim().split(" ")[0])).findFirst()
                .orElseThrow(() -> new AssertionError("no sample " + name));
    }

    @Test
    void anApplicationServesItsOwnPageAndFilesAndNothingOutsideTheirFolder(@org.junit.jupiter.api.io.TempDir
            java.nio.file.Path folder) throws Exception {
        java.nio.file.Path site = java.nio.file.Files.createDirectory(folder.resolve("site"));
        java.nio.file.Files.writeString(site.resolve("index.html"), "<h1>my app</h1>");
        java.nio.file.Files.writeString(site.resolve("app.js"), "import { RendercastPlayer } from '/rendercast.js';");
        java.nio.file.Files.writeString(site.resolve(".env"), "SECRET=1");
        java.nio.file.Files.writeString(folder.resolve("outside.txt"), "not for clients");
        InetSocketAddress http = start(RtmpServerOptions.defaults());
        server.serveFiles(site);
        HttpClient client = HttpClient.newHttpClient();
        java.util.function.Function<String, HttpResponse<String>> get = path -> {
            try {
                return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + path))
                        .build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        };
        assertEquals("<h1>my app</h1>", get.apply("/").body());
        HttpResponse<String> script = get.apply("/app.js");
        assertEquals("text/javascript; charset=utf-8", script.headers().firstValue("content-type").orElse(""));
        assertTrue(get.apply("/viewer.html").body().contains("viewer.js"), "the built-in page moves to /viewer.html");
        assertEquals(200, get.apply("/rendercast.js").statusCode(), "the browser client is served beside the page");
        for (String outside : List.of("/.env", "/../outside.txt", "/%2e%2e/outside.txt", "/site/../../outside.txt")) {
            HttpResponse<String> refused = get.apply(outside);
            assertEquals(404, refused.statusCode(), outside + " answered " + refused.body());
        }
        // A folder reached through a link (a release's "current" link, say) serves its files all the same.
        java.nio.file.Path link = java.nio.file.Files.createSymbolicLink(folder.resolve("current"), site);
        server.serveFiles(link);
        assertEquals("<h1>my app</h1>", get.apply("/").body());
        java.nio.file.Files.writeString(site.resolve("viewer.js"), "not the built-in one");
        assertTrue(get.apply("/viewer.js").body().contains("RendercastPlayer"), "built-in files keep their paths");
        server.serveFiles(null);
        assertTrue(get.apply("/").body().contains("viewer.js"), "without a folder, / is the built-in page again");
    }

    @Test
    void aPlainRequestForAWebSocketPathIsAnsweredAndHoldsNoConnection() throws Exception {
        InetSocketAddress http = start(RtmpServerOptions.defaults());
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + http.getPort() + "/ws/live/cube")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(400, plain.statusCode(), plain.body());
        }
        waitFor("no connection is left behind").until(() -> server.connections().isEmpty()
                && server.limits().connections().used() == 0);
    }

    @Test
    void anFlvPlayerGetsAnFlvStreamOverHttpAndARefusalAsForbidden() throws Exception {
        InetSocketAddress http = start(RtmpServerOptions.defaults());
        HttpClient client = HttpClient.newHttpClient();
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.getPort() + "/live/cube.flv")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        assertEquals("video/x-flv", response.headers().firstValue("content-type").orElse(""));
        try (InputStream body = response.body()) {
            byte[] header = body.readNBytes(13);
            assertEquals("FLV", new String(header, 0, 3));
            byte[] tagHeader = body.readNBytes(11);
            int type = tagHeader[0];
            assertTrue(type == 18 || type == 9, "an FLV tag (script or video) follows, type " + type);
        }
        HttpResponse<String> refused = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.getPort() + "/private/x.flv")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("no connect handler accepted app 'private'"), refused.body());
        HttpResponse<String> page = client.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + http.getPort() + "/")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("viewer.js"), "the viewer page is served");
    }
}
