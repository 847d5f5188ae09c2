package io.rendercast.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A TCP relay on 127.0.0.1 between one RTMP player and the server that can slip messages of its own into what the
 * player sends: input from a player that sends none (ffmpeg). Its connection to the server is the one whose packets
 * cross the emulated link, as the player's own would.
 *
 * <p>One platform thread a direction, on blocking sockets with TCP_NODELAY, so that backpressure passes through as
 * it would without the relay. Server to player, the bytes pass unchanged. Player to server, they pass unchanged too,
 * but are followed as RTMP ({@link ClientMessageBoundaries}), and what {@link #inject} is given goes in between two
 * of the player's messages, never inside one. The first player to connect is the one relayed.
 */
final class InputRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final InetSocketAddress server;
    private final ClientMessageBoundaries boundaries = new ClientMessageBoundaries();
    /** Guards the writes to the server, {@link #atBoundary} and {@link #pending}: a write is never cut in two. */
    private final ReentrantLock writing = new ReentrantLock();
    private final Queue<byte[]> pending = new ArrayDeque<>();
    private boolean atBoundary;
    private OutputStream toServer;
    private volatile Socket player;
    private volatile Socket upstream;

    private InputRelay(InetSocketAddress server) throws IOException {
        this.server = server;
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("input-relay-to-server").start(this::relay);
    }

    /** Listens on an ephemeral port of 127.0.0.1 for the player, whom it connects to {@code server}. */
    static InputRelay start(InetSocketAddress server) throws IOException {
        return new InputRelay(server);
    }

    /** Where the player connects. */
    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /**
     * Sends {@code chunks}, one or more whole messages in chunks the server takes whatever the player's state (format
     * 0 headers, on a chunk stream id of their own), at the player's next message boundary: at once when the player is
     * between two messages, as it mostly is while it plays, else once its message is through. Call it while the
     * player plays: before its handshake, or before connect, the server would not take them.
     *
     * @throws IOException when the write to the server failed: the connection is broken
     */
    void inject(byte[] chunks) throws IOException {
        writing.lock();
        try {
            if (atBoundary) {
                // The player's thread is blocked reading from it, and the bytes sent so far end a message: this
                // thread writes them, so that an idle player does not hold the input back.
                toServer.write(chunks);
            } else {
                pending.add(chunks.clone());
            }
        } finally {
            writing.unlock();
        }
    }

    private void relay() {
        try (Socket client = listener.accept(); Socket toUpstream = new Socket()) {
            player = client;
            upstream = toUpstream;
            client.setTcpNoDelay(true);
            toUpstream.setTcpNoDelay(true);
            toUpstream.connect(server);
            writing.lock();
            try {
                toServer = toUpstream.getOutputStream();
            } finally {
                writing.unlock();
            }
            Thread back = Thread.ofPlatform().daemon().name("input-relay-to-player")
                    .start(() -> copy(toUpstream, client));
            playerToServer(client.getInputStream());
            toUpstream.shutdownOutput();
            back.join();
        } catch (IOException | InterruptedException e) {
            // The player or the server went, or close() closed the sockets: the relay ends, as the connection would
            // have without it; the player reports the break, which is all the relay knows of it.
        }
    }

    private void playerToServer(InputStream in) throws IOException {
        byte[] buffer = new byte[16 * 1024];
        int read;
        while ((read = in.read(buffer)) != -1) {
            for (int offset = 0; offset < read; ) {
                int taken = boundaries.follow(buffer, offset, read - offset);
                writing.lock();
                try {
                    toServer.write(buffer, offset, taken);
                    atBoundary = boundaries.atBoundary();
                    while (atBoundary && !pending.isEmpty()) {
                        toServer.write(pending.remove());
                    }
                } finally {
                    writing.unlock();
                }
                offset += taken;
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // As in relay(): the connection broke or was closed, and the player reports it.
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : new Socket[] {player, upstream}) {
            if (socket != null) {
                socket.close();
            }
        }
    }
}
