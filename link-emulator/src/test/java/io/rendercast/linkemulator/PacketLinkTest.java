package io.rendercast.linkemulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A real TCP connection through the packet link: a client in the players' namespace (bash's /dev/tcp) and a server
 * here. Needs root, a TUN device and iproute2; where the machine has none of them it says so and is skipped.
 */
class PacketLinkTest {

    @Test
    void tcpThroughTheLinkSeesItsRoundTripRateAndLoss() throws Exception {
        LinkConditions conditions = LinkConditions.of(2, 100).withLossPercent(1);
        PacketLink link;
        try {
            link = PacketLink.open(conditions);
        } catch (IOException | UnsatisfiedLinkError e) {
            assumeTrue(false, "no packet link on this machine: " + e.getMessage());
            return;
        }
        int bytes = 400_000;
        try (link; ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(link.serverAddress(), 0));
            // echo one byte, then read the rest to the end
            String script = "exec 3<>/dev/tcp/" + link.serverAddress().getHostAddress() + "/" + server.getLocalPort()
                    + "; head -c 1 <&3 >&3; head -c " + bytes + " <&3 | wc -c";
            Process client = new ProcessBuilder(link.inPlayersNamespace(List.of("bash", "-c", script)))
                    .redirectErrorStream(true).start();
            try (Socket s = server.accept(); OutputStream out = s.getOutputStream(); InputStream in = s.getInputStream()) {
                long sent = System.nanoTime();
                out.write(1);
                assertEquals(1, in.read());
                double roundTripMs = (System.nanoTime() - sent) / 1e6;
                assertTrue(roundTripMs >= 99 && roundTripMs < 400, "round trip " + roundTripMs + " ms");
                long start = System.nanoTime();
                out.write(new byte[bytes]);
                out.flush();
                s.shutdownOutput();
                assertTrue(client.waitFor(30, TimeUnit.SECONDS));
                double seconds = (System.nanoTime() - start) / 1e9;
                String counted = new String(client.getInputStream().readAllBytes()).strip();
                assertEquals(Integer.toString(bytes), counted);
                double megabits = bytes * 8 / seconds / 1e6;
                System.out.printf("PacketLinkTest: round trip %.1f ms, %.2f Mbit/s, %d packets lost%n", roundTripMs,
                        megabits, link.packetsLost());
                // at most the cap (IP and TCP headers ride on it too); not far under it with 1 % loss
                assertTrue(megabits < 2.0 && megabits > 0.6, megabits + " Mbit/s through a 2 Mbit/s link");
            }
            assertTrue(link.packetsLost() > 0, "1 % of about 300 packets lost");
            assertTrue(link.bytesToPlayers() > bytes);
        }
    }
}
