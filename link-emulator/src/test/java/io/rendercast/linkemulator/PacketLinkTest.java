package io.rendercast.linkemulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real TCP connection through the packet link: a server socket made in the server's namespace, a client here.
 * Needs iproute2 (under {@code CI=true} its absence fails the test: {@code ./rendercast test} installs it), and root
 * with TUN devices and network namespaces: a machine whose kernel or container refuses them skips, saying why.
 */
class PacketLinkTest {

    private static PacketLink openOrSkip(LinkConditions conditions) {
        boolean ip = java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> new java.io.File(dir, "ip").canExecute());
        if (!ip && "true".equals(System.getenv("CI"))) {
            fail("the packet link needs iproute2's ip (./rendercast test installs it)");
        }
        try {
            return PacketLink.open(conditions);
        } catch (IOException | LinkageError e) {
            assumeTrue(false, "no packet link on this machine: " + e);
            return null;
        }
    }

    @Test
    void tcpThroughTheLinkSeesItsRoundTripRateAndLoss() throws Exception {
        // the round trip timed before any loss: a lost ping would cost a retransmission's timeout
        PacketLink link = openOrSkip(LinkConditions.of(2, 100));
        int bytes = 400_000;
        // java.net makes the socket when it binds: both in the namespace
        try (link; ServerSocket server = link.inServerNamespace(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress(link.serverAddress(), 0));
            return s;
        })) {
            Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream();
                     InputStream in = s.getInputStream()) {
                    out.write(in.read()); // echo one byte, then send the rest
                    out.write(new byte[bytes]);
                } catch (IOException e) {
                    // the test fails on what it reads
                }
            });
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress(link.serverAddress(), server.getLocalPort()));
                long sent = System.nanoTime();
                client.getOutputStream().write(7);
                assertEquals(7, client.getInputStream().read());
                double roundTripMs = (System.nanoTime() - sent) / 1e6;
                link.change(LinkConditions.of(2, 100).withLossPercent(2));
                long start = System.nanoTime();
                long received = client.getInputStream().readAllBytes().length;
                double seconds = (System.nanoTime() - start) / 1e9;
                double megabits = received * 8 / seconds / 1e6;
                System.out.printf("PacketLinkTest: round trip %.1f ms, %.2f Mbit/s, %d packets lost%n", roundTripMs,
                        megabits, link.packetsLost());
                assertEquals(bytes, received);
                assertTrue(roundTripMs >= 99 && roundTripMs < 400, "round trip " + roundTripMs + " ms");
                // at most the cap (IP and TCP headers ride on it too); TCP keeps a good part of it at 2 % loss
                assertTrue(megabits < 2.0 && megabits > 0.4, megabits + " Mbit/s through a 2 Mbit/s link");
            }
            assertTrue(link.packetsLost() > 0, "2 % of some 400 packets lost");
            assertTrue(link.bytesToPlayers() > bytes);
        }
    }

    @Test
    void theServersNamespaceIsReachedOnlyThroughTheLink() throws Exception {
        PacketLink link = openOrSkip(LinkConditions.of(0, 0));
        try (link; ServerSocket server = link.inServerNamespace(() -> {
            ServerSocket s = new ServerSocket();
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s;
        }); Socket client = new Socket()) {
            // the namespace's loopback is its own: nothing listens on this machine's at that port
            assertThrows(IOException.class,
                    () -> client.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 2000));
        }
    }
}
