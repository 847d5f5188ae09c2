package io.rendercast.rtmp.server;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.PropertyResult;
import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server's command flows, played by {@link RtmpTestClient}, which is built on the project's own codec. */
@ExtendWith(LeakCheckExtension.class)
class RtmpServerTest {

    private final TestApplication app = new TestApplication(2000, 10, 30);
    private NettyRtmpServer server;

    private InetSocketAddress start(RtmpServerOptions options) throws IOException {
        server = app.serve(options);
        return server.listenAddress();
    }

    private InetSocketAddress start() throws IOException {
        return start(RtmpServerOptions.defaults());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void isFoundThroughTheServiceLoader() {
        try (RtmpServer found = RtmpServer.create()) {
            assertInstanceOf(NettyRtmpServer.class, found);
            assertNull(found.listenAddress());
        }
    }

    @Test
    void refusesToStartTwiceAndReportsBindFailures() throws IOException {
        InetSocketAddress address = start();
        assertThrows(IllegalStateException.class, () -> server.start(address));
        try (NettyRtmpServer second = new NettyRtmpServer(RtmpServerOptions.defaults())) {
            IOException e = assertThrows(IOException.class, () -> second.start(address));
            assertTrue(e.getMessage().contains(String.valueOf(address.getPort())), e.getMessage());
        }
    }

    @Test
    void acceptsAClaimedConnectionWithTheMessagesPlayersExpect() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            TestCommand answer = client.connect("live");
            assertEquals("_result", answer.name());
            assertEquals("NetConnection.Connect.Success", ((Map<?, ?>) answer.argument(0)).get("code"));
            assertTrue(((Map<?, ?>) answer.commandObject()).containsKey("fmsVer"));
        }
    }

    @Test
    void refusesAConnectionNoHandlerClaimsAndGoesOnServingOthers() throws IOException, InterruptedException {
        InetSocketAddress address = start();
        try (RtmpTestClient refused = RtmpTestClient.open(address)) {
            TestCommand answer = refused.connect("private");
            assertEquals("_error", answer.name());
            assertEquals("NetConnection.Connect.Rejected", ((Map<?, ?>) answer.argument(0)).get("code"));
            waitFor("the server closes a refused connection").until(refused::serverClosed);
        }
        try (RtmpTestClient accepted = RtmpTestClient.open(address)) {
            assertEquals("_result", accepted.connect("live").name());
        }
    }

    @Test
    void negotiatesAmf3AndReadsAmf3Commands() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            double id = client.command(0, "connect", true, Map.of("app", "live", "objectEncoding", 3.0));
            TestCommand answer = client.expectAnswer(id);
            assertEquals(3.0, ((Map<?, ?>) answer.argument(0)).get("objectEncoding"));
            // An AMF3 command message (type 17): a format byte, then AMF0 values; the arguments switch to AMF3.
            java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
            payload.write(0);
            payload.writeBytes(TestAmf0.encode("add", 9.0, null));
            payload.writeBytes(new byte[] {0x11, 0x05, 0x40, 0x04, 0, 0, 0, 0, 0, 0}); // AMF3 double 2.5
            payload.writeBytes(TestAmf0.encode(4.0));
            client.sendRaw(3, 17, 0, payload.toByteArray());
            TestCommand sum = client.expectAnswer(9.0);
            assertEquals("_result", sum.name());
            assertEquals(6.5, sum.argument(0));
        }
    }

    @Test
    void answersCallsWithResultErrorOrNothing() throws IOException, InterruptedException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            TestCommand sum = client.expectAnswer(client.command(0, "add", true, null, 2.0, 3.5));
            assertEquals("_result", sum.name());
            assertEquals(5.5, sum.argument(0));
            TestCommand failed = client.expectAnswer(client.command(0, "fail", true, null));
            assertEquals("_error", failed.name());
            assertEquals("failed on purpose", failed.argument(0));
            TestCommand unknown = client.expectAnswer(client.command(0, "noSuchProcedure", true, null));
            assertEquals("_error", unknown.name());
            assertTrue(((Map<?, ?>) unknown.argument(0)).get("description").toString().contains("noSuchProcedure"));
            // Transaction id 0: no answer. The next answer the client sees belongs to the call after it.
            client.command(0, "add", false, null, 1.0, 1.0);
            TimeUnit.MILLISECONDS.sleep(500);
            assertTrue(client.drain().stream().filter(m -> m.typeId() == 20)
                    .map(m -> TestCommand.of(TestAmf0.decode(m.payload())))
                    .noneMatch(c -> c.name().startsWith("_")), "a call with transaction id 0 gets no answer");
            TestCommand next = client.expectAnswer(client.command(0, "add", true, null, 10.0, 10.0));
            assertEquals(20.0, next.argument(0));
        }
    }

    @Test
    void playsAStreamWithStatusMetadataAndKeyFrameFirst() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            int streamId = client.createStream();
            assertEquals(1, streamId);
            client.play(streamId, "cube");
            client.expectStatus("NetStream.Play.Reset");
            client.expectStatus("NetStream.Play.Start");
            List<Object> metadata = client.expectData("onMetaData");
            assertEquals(30.0, ((Map<?, ?>) metadata.get(1)).get("framerate"));
            waitFor("frames arrive").until(() -> client.video().size() >= 15);
            List<RtmpTestClient.VideoFrame> frames = client.video();
            assertTrue(frames.getFirst().keyFrame(), "the first frame a player gets is a key frame");
            assertEquals(2000, frames.getFirst().size(), "no codec: the frame handler's bytes go out as they are");
            assertTrue(frames.getLast().timestamp() > frames.getFirst().timestamp());
            assertTrue(app.events.contains("create cube") && app.events.contains("play cube"), app.events.toString());
        }
    }

    @Test
    void pauseStopsFramesAndResumeStartsWithAKeyFrame() throws IOException, InterruptedException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            int streamId = client.createStream();
            client.play(streamId, "cube");
            waitFor("frames arrive").until(() -> client.video().size() >= 12);
            client.command(streamId, "pause", false, null, true, 0.0);
            client.expectStatus("NetStream.Pause.Notify");
            TimeUnit.MILLISECONDS.sleep(300);
            int whilePaused = client.video().size();
            TimeUnit.MILLISECONDS.sleep(700);
            assertEquals(whilePaused, client.video().size(), "no frames while paused");
            client.command(streamId, "pause", false, null, false, 0.0);
            client.expectStatus("NetStream.Unpause.Notify");
            waitFor("frames after resume").until(() -> client.video().size() > whilePaused + 3);
            assertTrue(client.video().get(whilePaused).keyFrame(), "the first frame after resume is a key frame");
            assertTrue(app.events.contains("pause cube") && app.events.contains("resume cube"));
        }
    }

    @Test
    void refusedStreamsAndPlaysGetPlayFailed() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            int first = client.createStream();
            client.play(first, "refused-by-stream-handler");
            assertEquals("error", client.expectStatus("NetStream.Play.StreamNotFound").get("level"));
            int second = client.createStream();
            client.play(second, "noplay");
            assertEquals("error", client.expectStatus("NetStream.Play.Failed").get("level"));
            client.play(7, "never-created");
            client.expectStatus("NetStream.Play.Failed");
            assertTrue(client.video().isEmpty());
        }
    }

    @Test
    void deleteStreamStopsPlaybackAndTellsTheHandlers() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            int streamId = client.createStream();
            client.play(streamId, "cube");
            waitFor("frames arrive").until(() -> client.video().size() >= 3);
            client.command(0, "deleteStream", false, null, (double) streamId);
            client.expectStatus("NetStream.Play.Stop");
            waitFor("stream handler told of the delete").until(() -> app.events.contains("delete cube"));
            assertTrue(app.events.indexOf("stop cube") < app.events.indexOf("delete cube"), app.events.toString());
            assertTrue(app.events.contains("render stopped cube on the render thread"), app.events.toString());
            assertTrue(app.events.indexOf("render stopped cube on the render thread") < app.events.indexOf("stop cube"),
                    "the render thread has cleaned up before the play handler hears of the stop: " + app.events);
        }
    }

    @Test
    void refusesPublishing() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            TestCommand release = client.expectAnswer(client.command(0, "releaseStream", true, null, "cam"));
            assertEquals("_error", release.name());
            int streamId = client.createStream();
            client.command(streamId, "publish", false, null, "cam", "live");
            Map<?, ?> status = client.expectStatus("NetStream.Publish.Denied");
            assertTrue(status.get("description").toString().contains("does not accept published"));
        }
    }

    @Test
    void tellsTheConnectHandlerWhenTheConnectionEnds() throws IOException {
        InetSocketAddress address = start();
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
        }
        waitFor("connect handler called with isCreate false").until(() -> app.events.contains("disconnect "));
        waitFor("the server forgets the connection").until(() -> server.connections().isEmpty());
    }

    @Test
    void closesAConnectionThatBreaksTheProtocolAndServesTheNextOne() throws IOException {
        InetSocketAddress address = start();
        try (RtmpTestClient broken = RtmpTestClient.open(address)) {
            // a chunk stream that starts with a format 3 header
            broken.sendBytes(new byte[] {(byte) 0xC7, 1, 2, 3});
            waitFor("the server closes the broken connection").until(broken::serverClosed);
        }
        try (RtmpTestClient before = RtmpTestClient.open(address)) {
            before.command(0, "createStream", true, null);
            waitFor("a command before connect closes the connection").until(before::serverClosed);
        }
        try (RtmpTestClient good = RtmpTestClient.open(address)) {
            assertEquals("_result", good.connect("live").name());
        }
    }

    @Test
    void closesAClientThatFloodsItsHandlersAndStillEndsItCleanly() throws IOException {
        InetSocketAddress address = start();
        try (RtmpTestClient flood = RtmpTestClient.open(address)) {
            flood.connect("live");
            try {
                for (int i = 0; i < RtmpServerOptions.defaults().maxPendingCommands() * 2; i++) {
                    flood.command(0, "slow", true, null);
                }
            } catch (IOException e) {
                // the server may close the socket while the client is still sending
            }
            waitFor("the server closes a client that floods its handlers").until(flood::serverClosed);
        }
        waitFor("the connect handler is told the connection ended").until(() -> app.events.contains("disconnect "));
        waitFor("the connection's thread finished").until(() -> server.connections().isEmpty());
        try (RtmpTestClient next = RtmpTestClient.open(address)) {
            assertEquals("_result", next.connect("live").name());
        }
    }

    @Test
    void closesAClientThatNeverFinishesTheHandshake() throws IOException, InterruptedException {
        InetSocketAddress address = start(RtmpServerOptions.defaults().toBuilder().handshakeTimeout(Duration.ofMillis(300)).build());
        try (java.net.Socket silent = new java.net.Socket(address.getAddress(), address.getPort())) {
            silent.setSoTimeout(5000);
            assertEquals(-1, silent.getInputStream().read(), "the server closes the socket");
        }
    }

    @Test
    void keepsPropertiesByTheSeedsRules() throws IOException, InterruptedException {
        AtomicReference<Stream> stream = new AtomicReference<>();
        AtomicReference<Connection> connection = new AtomicReference<>();
        server = new NettyRtmpServer(RtmpServerOptions.defaults());
        server.addConnectHandler((create, c, object, args) -> {
            connection.set(c);
            c.registerStreamEventHandler((created, s, a) -> {
                stream.set(s);
                return true;
            });
            return true;
        });
        server.start(new InetSocketAddress("127.0.0.1", 0));
        try (RtmpTestClient client = RtmpTestClient.open(server.listenAddress())) {
            client.connect("any");
            client.play(client.createStream(), "props");
            client.expectStatus("NetStream.Play.Start");
            Stream s = stream.get();
            assertEquals(30.0, s.getProperty(Stream.RENDER_RATE));
            assertEquals(PropertyResult.OK, s.setProperty(Stream.RENDER_RATE, 60));
            assertEquals(60.0, s.getProperty(Stream.RENDER_RATE));
            assertEquals(PropertyResult.INVALID_VALUE, s.setProperty(Stream.RENDER_RATE, 0));
            assertEquals(PropertyResult.INVALID_VALUE, s.setProperty(Stream.RENDER_RATE, 1000));
            assertEquals(PropertyResult.INVALID_VALUE, s.setProperty(Stream.RENDER_RATE, "fast"));
            assertEquals(PropertyResult.OK, s.setProperty("user_camera", "front"));
            assertEquals("front", s.getProperty("user_camera"));
            assertEquals(PropertyResult.NO_SUCH_PROPERTY, s.setProperty("camera", "front"));
            assertNull(s.getProperty("camera"));
            assertEquals("props", s.streamName());
            assertEquals(connection.get(), s.connection());
            Connection c = connection.get();
            assertEquals(PropertyResult.OK, c.setProperty("user_id", 7));
            assertEquals(7, c.getProperty("user_id"));
            assertEquals(PropertyResult.NO_SUCH_PROPERTY, c.setProperty("id", 7));
            assertEquals(client.createStream(), 2);
            assertNotNull(c.peerAddress());
            var stats = c.statistics();
            assertTrue(stats.bytesIn() > 3072 && stats.bytesOut() > 3073, stats.toString());
            assertTrue(stats.messagesIn() >= 4 && stats.messagesOut() >= 5, stats.toString());
            assertFalse(stats.uptime().isNegative());
        }
    }

    @Test
    void answersPingsFromTheClient() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start())) {
            client.connect("live");
            client.sendRaw(2, 4, 0, new byte[] {0, 6, 0, 0, 0x30, 0x39}); // ping request, 12345
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                RtmpTestClient.Message m = client.next(Duration.ofSeconds(1));
                if (m != null && m.typeId() == 4 && m.payload()[1] == 7) {
                    assertEquals(12345, RtmpTestClient.readInt(m.payload(), 2));
                    return;
                }
            }
            throw new AssertionError("no ping response");
        }
    }

    /**
     * How these tests wait for the server, with Awaitility: {@code what} names the wait when it times out. Up to
     * 10 s, a margin for a loaded 2-core machine; checked at once and then every 20 ms, on the test's own thread,
     * so that a count that passes through a value (a {@code == 5}) is seen.
     */
    static ConditionFactory waitFor(String what) {
        return Awaitility.await(what)
                .atMost(Duration.ofSeconds(10))
                .pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .pollInSameThread();
    }
}
