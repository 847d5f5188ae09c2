package io.rendercast.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.video.VideoEncoderException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a user meets when something is refused or wrong: a status and the reason at once, in the client's
 * terms, and a log without noise. Each case here failed before its fix: an HTTP-FLV player of a refused stream
 * waited for its own timeout, a refused HTTP viewer logged two protocol errors, a stream with no encoder logged
 * a stack trace per player and told it only "refused", and a call with a wrong argument answered with the JVM's
 * class-cast text.
 */
@ExtendWith(LeakCheckExtension.class)
class ClearErrorsTest {

    /** Log records of the server's loggers, at WARNING and above. */
    private static final class Warnings extends Handler {
        final List<LogRecord> records = new CopyOnWriteArrayList<>();

        @Override
        public void publish(LogRecord record) {
            if (record.getLevel().intValue() >= Level.WARNING.intValue() && record.getLoggerName() != null
                    && record.getLoggerName().startsWith("io.rendercast")) {
                records.add(record);
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        List<String> texts() {
            return records.stream().map(r -> r.getParameters() == null ? r.getMessage()
                    : java.text.MessageFormat.format(r.getMessage(), r.getParameters())).toList();
        }

        String describe() {
            return texts().toString();
        }
    }

    private final TestApplication app = new TestApplication(3000, 10, 30);
    private final Warnings warnings = new Warnings();
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private NettyRtmpServer server;

    @BeforeEach
    void listen() {
        Logger.getLogger("").addHandler(warnings);
    }

    @AfterEach
    void stop() {
        Logger.getLogger("").removeHandler(warnings);
        if (server != null) {
            server.close();
        }
    }

    private InetSocketAddress startHttp(NettyRtmpServer started) throws Exception {
        server = started;
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        return server.httpAddress();
    }

    private HttpResponse<String> get(InetSocketAddress http, String path) throws Exception {
        // A response that never comes fails here, in 10 s, rather than hanging the test.
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.getPort() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void anHttpFlvPlayerOfARefusedStreamGetsAStatusAndTheReasonAtOnce() throws Exception {
        InetSocketAddress http = startHttp(app.serve(RtmpServerOptions.defaults()));
        HttpResponse<String> refused = get(http, "/live/refuse-me.flv");
        assertEquals(404, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("the application refused stream 'refuse-me'"), refused.body());
        HttpResponse<String> notPlayed = get(http, "/live/noplay-me.flv");
        assertEquals(403, notPlayed.statusCode(), notPlayed.body());
        assertTrue(notPlayed.body().contains("the application refused to play 'noplay-me'"), notPlayed.body());
    }

    /** A started server whose streams play the test application's frames and stop at render {@code renders}. */
    private NettyRtmpServer serverWhoseStreamsStopAfter(int renders) throws Exception {
        java.util.concurrent.atomic.AtomicInteger rendered = new java.util.concurrent.atomic.AtomicInteger();
        NettyRtmpServer stopping = new NettyRtmpServer(RtmpServerOptions.defaults());
        stopping.addConnectHandler((create, connection, object, args) -> {
            if (create) {
                connection.registerStreamEventHandler((created, stream, streamArgs) -> {
                    if (created) {
                        app.install(stream);
                        stream.registerRenderHandler(s -> rendered.incrementAndGet() < renders);
                    }
                    return true;
                });
            }
            return true;
        });
        stopping.start(new InetSocketAddress("127.0.0.1", 0));
        return stopping;
    }

    @Test
    void anHttpFlvResponseEndsWhenItsStreamStops() throws Exception {
        NettyRtmpServer stopping = serverWhoseStreamsStopAfter(15);
        InetSocketAddress http = startHttp(stopping);
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(URI.create(
                "http://127.0.0.1:" + http.getPort() + "/live/short.flv")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        CompletableFuture<byte[]> whole = CompletableFuture.supplyAsync(() -> {
            try (java.io.InputStream body = response.body()) {
                return body.readAllBytes();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        byte[] flv = whole.get(15, TimeUnit.SECONDS); // the end of the response, not the player's own timeout
        assertEquals("FLV", new String(flv, 0, 3, java.nio.charset.StandardCharsets.US_ASCII));
    }

    @Test
    void anHttpFlvPlayerOfAStreamThatStopsAtItsFirstRenderIsAnswered() throws Exception {
        NettyRtmpServer stopping = serverWhoseStreamsStopAfter(1); // the first render ends it
        // Answered, not left open: 503 when nothing was sent yet, or the FLV header and its end when this stream
        // (no codec: its metadata goes out at once) had begun. get() fails after 10 s of no answer.
        HttpResponse<String> stopped = get(startHttp(stopping), "/live/never.flv");
        assertTrue(stopped.statusCode() == 503 || (stopped.statusCode() == 200 && stopped.body().startsWith("FLV")),
                stopped.statusCode() + " " + stopped.body());
    }

    @Test
    void aRefusedHttpConnectLogsNoWarning() throws Exception {
        InetSocketAddress http = startHttp(app.serve(RtmpServerOptions.defaults()));
        HttpResponse<String> refused = get(http, "/private/x.flv");
        assertEquals(403, refused.statusCode());
        // The createStream and play the adapter sent behind the connect arrive after its refusal.
        RtmpServerTest.waitFor("the refused connection is closed").until(() -> server.connections().isEmpty());
        assertTrue(warnings.records.isEmpty(), "a refusal is no error, but the log says " + warnings.describe());
    }

    @Test
    void aStreamWithNoEncoderTellsItsPlayerWhyInALineAndLogsNoStackTrace() throws Exception {
        NettyRtmpServer noEncoders = new NettyRtmpServer(RtmpServerOptions.defaults(), codec -> {
            throw new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER,
                    "no encoder provider for codec '" + codec + "' is on the module path");
        });
        noEncoders.addConnectHandler((create, connection, object, args) -> {
            if (!create) {
                return true;
            }
            connection.registerStreamEventHandler((created, stream, streamArgs) -> {
                if (created) {
                    stream.useCodec("h264");
                }
                return true;
            });
            return true;
        });
        noEncoders.start(new InetSocketAddress("127.0.0.1", 0));
        InetSocketAddress http = startHttp(noEncoders);
        for (int player = 0; player < 3; player++) {
            HttpResponse<String> refused = get(http, "/live/cube.flv");
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("the server has no h264 encoder that can run for stream 'cube'\n", refused.body());
        }
        assertTrue(warnings.records.stream().noneMatch(r -> r.getThrown() != null),
                "no stack trace for a missing encoder: " + warnings.describe());
        assertTrue(warnings.texts().stream().anyMatch(text -> text.contains("no encoder provider")),
                "the server's log names the cause: " + warnings.describe());
    }

    @Test
    void aCallWithArgumentsItDoesNotTakeIsAnsweredInTheClientsTermsNotTheJvms() throws Exception {
        InetSocketAddress http = startHttp(app.serve(RtmpServerOptions.defaults()));
        WebSocketViewerTest.Viewer viewer = new WebSocketViewerTest.Viewer(true);
        WebSocket socket = WebSocketViewerTest.open(http, "/ws/live/cube", viewer);
        socket.sendText("{\"type\":\"call\",\"procedure\":\"add\",\"id\":9,\"args\":[\"two\",3]}", true).get();
        String answer = viewer.expectText("\"id\":9");
        assertTrue(answer.contains("\"type\":\"error\""), answer);
        assertTrue(answer.contains("procedure 'add' does not take these arguments: (string \\\"two\\\", number 3"),
                answer);
        assertFalse(answer.contains("java.") || answer.contains("cast"), "no JVM text reaches the client: " + answer);
        assertFalse(viewer.closed.isDone(), "the connection goes on after a failed call");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get();
    }
}
