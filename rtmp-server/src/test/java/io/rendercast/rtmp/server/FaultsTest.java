package io.rendercast.rtmp.server;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Clients that misbehave are closed within their limits while a healthy player keeps its frame rate. */
@ExtendWith(LeakCheckExtension.class)
class FaultsTest {

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

    /** Frames per second the player gets while {@code during} runs. */
    private static double fpsDuring(RtmpTestClient player, ThrowingRunnable during) throws Exception {
        int before = player.video().size();
        long start = System.nanoTime();
        during.run();
        return (player.video().size() - before) / ((System.nanoTime() - start) / 1e9);
    }

    @FunctionalInterface
    interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void aClientThatDribblesOneByteASecondAndOneThatStopsAfterC0AreClosedInTime() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.builder().handshakeTimeout(Duration.ofMillis(800))
                .pings(Duration.ofMillis(300), Duration.ofMillis(1500)).build());
        try (FaultReport report = FaultReport.start("a dribbler and a client that stops after C0");
             RtmpTestClient player = RtmpTestClient.open(address);
             RtmpTestClient dribbler = RtmpTestClient.open(address);
             Socket afterC0 = new Socket()) {
            player.connect("live");
            player.play(player.createStream(), "healthy");
            waitFor("the player plays").until(() -> player.video().size() >= 10);
            double alone = fpsDuring(player, () -> TimeUnit.SECONDS.sleep(2));
            dribbler.connect("live");
            dribbler.answerPings(false); // its bytes alone must not count as being heard
            afterC0.connect(address, 2000);
            afterC0.getOutputStream().write(3);
            afterC0.setSoTimeout(3000);
            double fps = fpsDuring(player, () -> {
                // A message announced at 1,000 bytes, then one byte at a time: nothing whole ever arrives.
                dribbler.sendBytes(new byte[] {4, 0, 0, 0, 0, 3, (byte) 0xE8, 20, 0, 0, 0, 0});
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
                while (!dribbler.serverClosed() && System.nanoTime() < deadline) {
                    try {
                        dribbler.sendBytes(new byte[] {1});
                    } catch (IOException e) {
                        break;
                    }
                    TimeUnit.MILLISECONDS.sleep(250);
                }
            });
            report.during(fps);
            waitFor("the dribbling client is closed within the ping timeout").until(dribbler::serverClosed);
            assertEquals(-1, afterC0.getInputStream().read(), "the client that stopped after C0 is closed");
            FaultReport.assertKeptRate(alone, fps, 0.7, "beside a dribbler and a client stopped after C0");
        }
    }

    @Test
    void aChunkSizeOrAnAmfNestingPastItsLimitClosesThatClientAlone() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.builder().maxClientChunkSize(4096).maxAmfDepth(4).build());
        try (FaultReport report = FaultReport.start("a chunk size and an AMF nesting past their limits");
             RtmpTestClient player = RtmpTestClient.open(address);
             RtmpTestClient bigChunks = RtmpTestClient.open(address);
             RtmpTestClient deepAmf = RtmpTestClient.open(address);
             RtmpTestClient shallowAmf = RtmpTestClient.open(address)) {
            player.connect("live");
            player.play(player.createStream(), "healthy");
            bigChunks.connect("live");
            deepAmf.connect("live");
            shallowAmf.connect("live");
            bigChunks.sendRaw(2, 1, 0, new byte[] {0, 0, 0x10, 1}); // Set Chunk Size 4097
            // "call", transaction 9, null, then objects nested five deep: {a:{a:{a:{a:{a:1}}}}}.
            deepAmf.sendRaw(3, 20, 0, nestedCall(5));
            shallowAmf.sendRaw(3, 20, 0, nestedCall(3));
            waitFor("a chunk size past the limit closes the client").until(bigChunks::serverClosed);
            waitFor("AMF nested past the limit closes the client").until(deepAmf::serverClosed);
            int before = player.video().size();
            TimeUnit.MILLISECONDS.sleep(500);
            assertTrue(player.video().size() > before, "the player plays on");
            report.during((player.video().size() - before) / 0.5);
            assertTrue(!shallowAmf.serverClosed(), "AMF within the limit is read");
        }
    }

    /** A command {@code call} whose one argument is objects nested {@code depth} deep. */
    private static byte[] nestedCall(int depth) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.writeBytes(new byte[] {2, 0, 4, 'c', 'a', 'l', 'l', 0, 0x40, 0x22, 0, 0, 0, 0, 0, 0, 5});
        for (int i = 0; i < depth; i++) {
            out.writeBytes(new byte[] {3, 0, 1, 'a'});
        }
        out.writeBytes(new byte[] {0, 0x3F, (byte) 0xF0, 0, 0, 0, 0, 0, 0});
        for (int i = 0; i < depth; i++) {
            out.writeBytes(new byte[] {0, 0, 9});
        }
        return out.toByteArray();
    }

    @Test
    void connectionsPastThePerAddressLimitAreRefusedWithTheReason() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.builder().maxConnectionsPerAddress(3).build());
        List<RtmpTestClient> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RtmpTestClient client = RtmpTestClient.open(address);
                held.add(client);
                assertEquals("_result", client.connect("live").name());
            }
            try (RtmpTestClient fourth = RtmpTestClient.open(address)) {
                TestCommand refused = fourth.connect("live");
                assertEquals("_error", refused.name());
                assertTrue(String.valueOf(refused.argument(0)).contains("more than 3 connections from 127.0.0.1"),
                        refused.toString());
            }
            held.removeFirst().close();
            waitFor("the closed one is forgotten").until(() -> server.connections().size() == 2);
            try (RtmpTestClient again = RtmpTestClient.open(address)) {
                assertEquals("_result", again.connect("live").name());
            }
        } finally {
            for (RtmpTestClient client : held) {
                client.close();
            }
        }
    }

    @Test
    void aStormOfAThousandConnectsLeavesThePlayerAtItsRateAndTheServerServing() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.defaults());
        try (FaultReport report = FaultReport.start("1,000 connects");
             RtmpTestClient player = RtmpTestClient.open(address)) {
            player.connect("live");
            player.play(player.createStream(), "healthy");
            waitFor("the player plays").until(() -> player.video().size() >= 10);
            double alone = fpsDuring(player, () -> TimeUnit.SECONDS.sleep(2));
            ExecutorService storm = Executors.newFixedThreadPool(4);
            long start = System.nanoTime();
            double fps = fpsDuring(player, () -> {
                List<Future<?>> waves = new ArrayList<>();
                for (int w = 0; w < 4; w++) {
                    waves.add(storm.submit(() -> {
                        for (int i = 0; i < 250; i++) {
                            handshakeAndLeave(address);
                        }
                        return null;
                    }));
                }
                for (Future<?> wave : waves) {
                    wave.get(60, TimeUnit.SECONDS);
                }
                long elapsed = System.nanoTime() - start;
                if (elapsed < TimeUnit.SECONDS.toNanos(2)) {
                    TimeUnit.NANOSECONDS.sleep(TimeUnit.SECONDS.toNanos(2) - elapsed); // measure over 2 s at least
                }
            });
            storm.shutdown();
            report.during(fps);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("FaultsTest: 1,000 connects in %.1f s; the player got %.1f fps meanwhile%n", seconds, fps);
            FaultReport.assertKeptRate(alone, fps, 0.7, "through a storm of 1,000 connects");
            waitFor("the storm's connections are all gone").until(() -> server.connections().size() == 1);
            try (RtmpTestClient after = RtmpTestClient.open(address)) {
                assertEquals("_result", after.connect("live").name(), "new clients are served after the storm");
            }
        }
    }

    /** A client that connects, does the handshake and leaves. */
    private static void handshakeAndLeave(InetSocketAddress address) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(address, 5000);
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            out.write(c0c1);
            new DataInputStream(socket.getInputStream()).readFully(new byte[3073]);
            out.write(new byte[1536]);
        }
    }
}
