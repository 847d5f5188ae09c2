package io.rendercast.rtmp.server;

import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.ServerCapacity;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A node as a balancer sees it: {@code /health} and HAProxy's agent check say whether it takes viewers and how
 * much room it has; a drain refuses newcomers with the reason while its players play on, and at its deadline
 * tells those left why and closes them.
 */
@ExtendWith(LeakCheckExtension.class)
class DrainTest {

    private final TestApplication app = new TestApplication(1000, 10, 30);
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private static String agent(InetSocketAddress address) throws Exception {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
            socket.setSoTimeout(5000);
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    private HttpResponse<String> health() throws Exception {
        return get("/health");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpAddress().getPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private void startAll(RtmpServerOptions options) throws Exception {
        server = app.serve(options);
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        server.startAgentCheck(new InetSocketAddress("127.0.0.1", 0));
    }

    @Test
    void aDrainRefusesNewcomersLetsPlayersPlayOnAndClosesThoseLeftAtItsDeadline() throws Exception {
        startAll(RtmpServerOptions.defaults());
        assertEquals(200, health().statusCode(), health().body());
        assertTrue(agent(server.agentCheckAddress()).matches("up \\d+%\n"), "an open node tells its room");
        try (RtmpTestClient player = RtmpTestClient.open(server.listenAddress())) {
            player.connect("live");
            player.play(player.createStream(), "cube");
            player.expectStatus("NetStream.Play.Start");

            CompletableFuture<Void> drained = server.drain(Duration.ofSeconds(3));
            assertEquals(ServerCapacity.State.DRAINING, server.capacity().state());
            HttpResponse<String> draining = health();
            assertEquals(503, draining.statusCode());
            assertTrue(draining.body().startsWith("draining: the server is draining"), draining.body());
            assertEquals("drain\n", agent(server.agentCheckAddress()));
            String metrics = get("/metrics").body();
            assertTrue(metrics.contains("rendercast_draining 1.0")
                    && metrics.contains("rendercast_capacity_room_percent 0.0"), metrics);
            try (RtmpTestClient newcomer = RtmpTestClient.open(server.listenAddress())) {
                TestCommand refused = newcomer.connect("live");
                assertEquals("_error", refused.name());
                assertTrue(String.valueOf(refused.argument(0)).contains("the server is draining"), refused.toString());
            }
            // An HTTP-FLV player gets 503 and a time to try again after, which a balancer reads as "not this node".
            HttpResponse<String> flv = get("/live/cube.flv");
            assertEquals(503, flv.statusCode(), flv.body());
            assertEquals("5", flv.headers().firstValue("Retry-After").orElse(null));
            assertTrue(flv.body().contains("the server is draining"), flv.body());
            // The player plays on while the drain waits for it.
            int before = app.framesMadeByStream.get("cube").get();
            waitFor("the player still gets frames").until(() -> app.framesMadeByStream.get("cube").get() > before + 10);
            assertFalse(drained.isDone(), "the drain waits for its player");

            Map<?, ?> told = player.expectStatus("NetStream.Play.UnpublishNotify");
            assertTrue(String.valueOf(told.get("description")).contains("the drain deadline passed"), told.toString());
            drained.get(15, TimeUnit.SECONDS);
            assertTrue(server.connections().isEmpty());
        }
    }

    @Test
    void aFullNodeSaysSoAndIsDownToTheAgent() throws Exception {
        startAll(RtmpServerOptions.builder().maxConnections(1).build());
        try (RtmpTestClient only = RtmpTestClient.open(server.listenAddress())) {
            only.connect("live");
            waitFor("the node is full").until(() -> server.capacity().state() == ServerCapacity.State.FULL);
            HttpResponse<String> full = health();
            assertEquals(503, full.statusCode());
            assertTrue(full.body().contains("the server holds its most connections (1)"), full.body());
            assertEquals("down\n", agent(server.agentCheckAddress()));
        }
        waitFor("the node is open again").until(() -> server.capacity().takesViewers());
        // Full of playing streams: an HTTP-FLV player is told to try again (here, or on another node).
        server.close();
        startAll(RtmpServerOptions.builder().maxPlayingStreams(1).build());
        try (RtmpTestClient only = RtmpTestClient.open(server.listenAddress())) {
            only.connect("live");
            only.play(only.createStream(), "cube");
            only.expectStatus("NetStream.Play.Start");
            HttpResponse<String> flv = get("/live/cube.flv");
            assertEquals(503, flv.statusCode(), flv.body());
            assertEquals("5", flv.headers().firstValue("Retry-After").orElse(null));
        }
        waitFor("the node is open again").until(() -> server.capacity().takesViewers());
    }

    @Test
    void aNodeWhoseRenderTurnsAreTakenRefusesNewStreamsForNowAndSaysItIsFull() throws Exception {
        startAll(RtmpServerOptions.builder().minRenderHeadroomPercent(99).build());
        try (RtmpTestClient heavy = RtmpTestClient.open(server.listenAddress());
             RtmpTestClient newcomer = RtmpTestClient.open(server.listenAddress())) {
            heavy.connect("live");
            heavy.play(heavy.createStream(), "heavy"); // its renders hold a turn for most of each frame
            heavy.expectStatus("NetStream.Play.Start");
            waitFor("the node is full").until(() -> server.capacity().state() == ServerCapacity.State.FULL);
            assertTrue(server.capacity().reason().contains("render turns are all but taken"), server.capacity().reason());
            assertEquals("down\n", agent(server.agentCheckAddress()));

            newcomer.connect("live");
            newcomer.play(newcomer.createStream(), "cube");
            Map<?, ?> refused = newcomer.expectStatus("NetStream.Play.Failed");
            assertTrue(String.valueOf(refused.get("description")).contains("the server renders all it can"),
                    refused.toString());
            assertEquals(Boolean.TRUE, refused.get("rendercastRetry"), "the player may try again: " + refused);
        }
        waitFor("the node is open again").until(() -> server.capacity().takesViewers());
    }
}
