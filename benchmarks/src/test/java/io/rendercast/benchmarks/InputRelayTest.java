package io.rendercast.benchmarks;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link InputRelay} between a client that writes RTMP by hand ({@link ClientStream}) and a fake server that keeps
 * what it receives: the client's bytes pass intact, and an injected message goes in at a message boundary.
 */
class InputRelayTest {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private ServerSocket serverListener;
    private InputRelay relay;
    private Socket client;
    private Socket server;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private Thread serverReader;

    @BeforeEach
    void connect() throws IOException {
        serverListener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        relay = InputRelay.start((java.net.InetSocketAddress) serverListener.getLocalSocketAddress());
        client = new Socket(relay.address().getAddress(), relay.address().getPort());
        client.setTcpNoDelay(true);
        server = serverListener.accept();
        serverReader = Thread.ofPlatform().daemon().start(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = server.getInputStream()) {
                int read;
                while ((read = in.read(buffer)) != -1) {
                    synchronized (received) {
                        received.write(buffer, 0, read);
                    }
                }
            } catch (IOException e) {
                if (!server.isClosed()) { // closed by close(), after the test
                    throw new IllegalStateException("the fake server's read failed", e);
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        client.close();
        server.close();
        relay.close();
        serverListener.close();
    }

    @Test
    void injectsBetweenMessagesWhenAskedInTheMiddleOfOne() throws Exception {
        ClientStream stream = ClientMessageBoundariesTest.everyKindOfChunk();
        byte[] bytes = stream.bytes();
        // Asked for within the third message (700 bytes with an extended timestamp, in three chunks at 300), while
        // its first chunk and some of the second have passed: it goes in where that message ends.
        int inside = stream.boundaries().get(2) + 400;
        int end = stream.boundaries().get(3);
        OutputStream out = client.getOutputStream();
        out.write(bytes, 0, inside);
        awaitReceived(inside);
        byte[] injected = Recolours.setColor("#00ff00");
        relay.inject(injected);
        Thread.sleep(200);
        assertEquals(inside, receivedBytes().length, "nothing injected inside a message");

        out.write(bytes, inside, bytes.length - inside);
        client.shutdownOutput();
        serverReader.join(PATIENCE);

        byte[] expected = concat(Arrays.copyOf(bytes, end), injected, Arrays.copyOfRange(bytes, end, bytes.length));
        assertArrayEquals(expected, receivedBytes());
    }

    @Test
    void injectsAtOnceWhenTheClientIsIdleBetweenMessages() throws Exception {
        ClientStream stream = ClientMessageBoundariesTest.everyKindOfChunk();
        byte[] bytes = stream.bytes();
        int idleAt = stream.boundaries().get(2); // after the Set Chunk Size
        client.getOutputStream().write(bytes, 0, idleAt);
        awaitReceived(idleAt);
        byte[] first = Recolours.setColor("#00ff00");
        byte[] second = Recolours.setColor("#ff00ff");
        relay.inject(first);
        relay.inject(second);
        awaitReceived(idleAt + first.length + second.length);

        client.getOutputStream().write(bytes, idleAt, bytes.length - idleAt);
        client.shutdownOutput();
        serverReader.join(PATIENCE);
        byte[] expected = concat(Arrays.copyOf(bytes, idleAt), first, second,
                Arrays.copyOfRange(bytes, idleAt, bytes.length));
        assertArrayEquals(expected, receivedBytes());
    }

    @Test
    void passesTheServersBytesUnchanged() throws Exception {
        byte[] bytes = new ClientStream().randomBytes(200_000);
        Thread writer = Thread.ofPlatform().start(() -> {
            try {
                server.getOutputStream().write(bytes);
                server.shutdownOutput();
            } catch (IOException e) {
                throw new IllegalStateException("the fake server's write failed", e);
            }
        });
        assertArrayEquals(bytes, client.getInputStream().readAllBytes());
        writer.join();
    }

    @Test
    void setColorIsOneFormat0ChunkOnItsOwnChunkStream() {
        byte[] chunk = Recolours.setColor("#ff00ff");
        assertEquals(Recolours.CHUNK_STREAM_ID, chunk[0]);
        int length = (chunk[4] & 0xFF) << 16 | (chunk[5] & 0xFF) << 8 | (chunk[6] & 0xFF);
        assertEquals(20, chunk[7], "an AMF0 command");
        assertEquals(12 + length, chunk.length, "one chunk: the payload is under 128 bytes");
    }

    private void awaitReceived(int length) {
        Awaitility.await().atMost(PATIENCE).until(() -> receivedBytes().length >= length);
    }

    private byte[] receivedBytes() {
        synchronized (received) {
            return received.toByteArray();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
