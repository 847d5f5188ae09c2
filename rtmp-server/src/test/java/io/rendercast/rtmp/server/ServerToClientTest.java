package io.rendercast.rtmp.server;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ConnectionStatistics;
import io.rendercast.rtmp.RemoteCallException;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.StreamStatistics;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the server starts itself: calls to the client, pings, acknowledgements, and the statistics of it all. */
@ExtendWith(LeakCheckExtension.class)
class ServerToClientTest {

    private final TestApplication app = new TestApplication(3000, 10, 30);
    private NettyRtmpServer server;

    private InetSocketAddress start(RtmpServerOptions options) throws IOException {
        server = app.serve(options);
        return server.listenAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Connection connected(RtmpTestClient client) throws IOException {
        client.connect("live");
        waitFor("the connect handler saw the connection").until(() -> !app.connections.isEmpty());
        return app.connections.getLast();
    }

    @Test
    void aCallToTheClientCompletesWithItsResultOrFailsWithItsError() throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(start(RtmpServerOptions.defaults()))) {
            Connection connection = connected(client);
            CompletableFuture<Object> answered = connection.call("whoAreYou", 1.0, "please");
            TestCommand call = client.expectCommand(c -> c.name().equals("whoAreYou"), Duration.ofSeconds(5));
            assertEquals(java.util.List.of(1.0, "please"), call.arguments());
            assertTrue(call.transactionId() > 0, "a call that wants an answer has a transaction id");
            client.answer(call, true, "rtmp-test-client");
            assertEquals("rtmp-test-client", answered.get(5, TimeUnit.SECONDS));

            CompletableFuture<Object> refused = connection.call("format", "c:");
            client.answer(client.expectCommand(c -> c.name().equals("format"), Duration.ofSeconds(5)), false, "no");
            ExecutionException e = assertThrows(ExecutionException.class, () -> refused.get(5, TimeUnit.SECONDS));
            RemoteCallException remote = assertInstanceOf(RemoteCallException.class, e.getCause());
            assertEquals("no", remote.error());
        }
    }

    @Test
    void aCallFailsWhenTheClientDoesNotAnswerInTimeOrGoesAway() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.defaults().toBuilder().callTimeout(Duration.ofMillis(300)).build());
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            Connection connection = connected(client);
            CompletableFuture<Object> unanswered = connection.call("ignored");
            ExecutionException late = assertThrows(ExecutionException.class, () -> unanswered.get(5, TimeUnit.SECONDS));
            assertInstanceOf(TimeoutException.class, late.getCause());
        }
        app.connections.clear();
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            Connection connection = connected(client);
            CompletableFuture<Object> pending = connection.call("slowQuestion");
            client.expectCommand(c -> c.name().equals("slowQuestion"), Duration.ofSeconds(5));
            client.close();
            ExecutionException gone = assertThrows(ExecutionException.class, () -> pending.get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, gone.getCause());
            assertTrue(gone.getCause().getMessage().contains("slowQuestion"), gone.getCause().getMessage());
            waitFor("the connection ended").until(() -> server.connections().isEmpty());
            ExecutionException afterEnd = assertThrows(ExecutionException.class,
                    () -> connection.call("tooLate").get(5, TimeUnit.SECONDS));
            assertInstanceOf(IOException.class, afterEnd.getCause());
        }
    }

    @Test
    void closesAClientThatStopsAnsweringPingsAndKeepsOneThatAnswers() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.defaults().toBuilder().pings(Duration.ofMillis(100),
                Duration.ofMillis(700)).build());
        try (RtmpTestClient silent = RtmpTestClient.open(address);
             RtmpTestClient lively = RtmpTestClient.open(address)) {
            silent.answerPings(false);
            silent.connect("live");
            lively.connect("live");
            waitFor("the server closes the client that does not answer pings").until(silent::serverClosed);
            TimeUnit.MILLISECONDS.sleep(800);
            assertFalse(lively.serverClosed(), "a client that answers pings stays");
            ConnectionStatistics stats = app.connections.stream()
                    .filter(c -> c.statistics().roundTripTime().compareTo(Duration.ZERO) > 0).findFirst()
                    .orElseThrow(() -> new AssertionError("no round-trip time measured")).statistics();
            assertTrue(stats.roundTripTime().compareTo(Duration.ofSeconds(1)) < 0, stats.toString());
        }
    }

    @Test
    void acknowledgesWhatTheClientSentAtTheWindowItAskedFor() throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(start(RtmpServerOptions.defaults()))) {
            client.connect("live");
            client.sendRaw(2, 5, 0, new byte[] {0, 0, 0x13, (byte) 0x88}); // window 5000
            for (int i = 0; i < 4; i++) {
                client.command(0, "fail", false, null, "x".repeat(2000));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                RtmpTestClient.Message m = client.next(Duration.ofMillis(200));
                if (m != null && m.typeId() == 3) {
                    long sequence = RtmpTestClient.readInt(m.payload(), 0) & 0xFFFFFFFFL;
                    assertTrue(sequence >= 5000 && sequence <= client.bytesWritten(),
                            "acknowledged " + sequence + " of " + client.bytesWritten() + " bytes");
                    return;
                }
            }
            throw new AssertionError("no acknowledgement after " + client.bytesWritten() + " bytes");
        }
    }

    @Test
    void statisticsCountWhatWasReallySentAndReceived() throws Exception {
        try (RtmpTestClient client = RtmpTestClient.open(start(RtmpServerOptions.defaults()))) {
            Connection connection = connected(client);
            int streamId = client.createStream();
            client.play(streamId, "counted");
            waitFor("frames arrive").until(() -> client.video().size() >= 20);
            client.command(streamId, "pause", false, null, true, 0.0);
            client.expectStatus("NetStream.Pause.Notify");
            TimeUnit.MILLISECONDS.sleep(500); // let everything in flight arrive
            StreamStatistics streamStats = app.streams.getLast().statistics();
            assertEquals(client.video().size(), streamStats.framesSent(), streamStats.toString());
            ConnectionStatistics stats = connection.statistics();
            assertEquals(client.bytesRead(), stats.bytesOut(), "bytes out: " + stats);
            assertEquals(client.bytesWritten(), stats.bytesIn(), "bytes in: " + stats);
            assertEquals(streamStats.framesSent(), stats.framesSent());
        }
    }
}
