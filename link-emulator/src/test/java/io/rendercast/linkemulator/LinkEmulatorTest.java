package io.rendercast.linkemulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bytes come through the emulated link at its rate, after its delay, in order and whole. */
class LinkEmulatorTest {

    private ServerSocket source;

    /** A server that writes a counting byte pattern as fast as the client takes it. */
    @BeforeEach
    void startSource() throws IOException {
        source = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().start(() -> {
            try (Socket s = source.accept(); OutputStream out = s.getOutputStream()) {
                byte[] block = new byte[8192];
                for (int i = 0; i < block.length; i++) {
                    block[i] = (byte) i;
                }
                while (true) {
                    out.write(block);
                }
            } catch (IOException e) {
                // the client is gone
            }
        });
    }

    @AfterEach
    void stopSource() throws IOException {
        source.close();
    }

    @Test
    void deliversAtItsRateAfterItsDelayInOrder() throws IOException {
        try (LinkEmulator link = LinkEmulator.start((InetSocketAddress) source.getLocalSocketAddress(),
                new LinkConditions(2_000_000, Duration.ofMillis(200), LinkConditions.ROUTER_QUEUE));
             Socket client = new Socket()) {
            long connected = System.nanoTime();
            client.connect(link.address());
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[4096];
            int n = in.read(buffer);
            long firstByteMillis = (System.nanoTime() - connected) / 1_000_000;
            assertTrue(firstByteMillis >= 95, "the first byte came after " + firstByteMillis + " ms, not half the "
                    + "200 ms round trip");
            long received = n;
            long start = System.nanoTime();
            while (System.nanoTime() - start < 2_000_000_000L) {
                for (int i = 0; i < n; i++) {
                    assertEquals((byte) (received - n + i), buffer[i], "byte " + (received - n + i) + " out of order");
                }
                n = in.read(buffer);
                received += n;
            }
            double megabits = (received - n) * 8 / ((System.nanoTime() - start) / 1e9) / 1e6;
            // The router's queue was full from the start, and what the link delivered is its rate.
            assertTrue(megabits > 1.7 && megabits < 2.4, "delivered " + megabits + " Mbit/s through a 2 Mbit/s link");
        }
    }

    @Test
    void aChangedRateHoldsForAnOpenConnection() throws IOException {
        try (LinkEmulator link = LinkEmulator.start((InetSocketAddress) source.getLocalSocketAddress(),
                LinkConditions.of(8, 20)); Socket client = new Socket()) {
            client.connect(link.address());
            InputStream in = client.getInputStream();
            in.readNBytes(8192);
            link.change(LinkConditions.of(1, 20));
            in.readNBytes(LinkConditions.ROUTER_QUEUE + (32 << 10)); // what was queued at the old rate
            long start = System.nanoTime();
            in.readNBytes(125_000); // a second at 1 Mbit/s
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(seconds > 0.85 && seconds < 1.3, "125 KB took " + seconds + " s at 1 Mbit/s");
        }
    }
}
