package io.rendercast.linkemulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Puts an emulated link between TCP clients and a server: clients connect to {@link #address()}, and each
 * connection is relayed to the target through a bottleneck toward the client (a rate cap behind a router's queue)
 * and a delay each way.
 *
 * <p>In user space because this kernel has no netem, and with no privilege: any test can run it. What that leaves
 * out: the relay cannot drop a TCP segment, so there is no loss; a full router queue pushes back on the server's TCP
 * (its window closes) instead of dropping; and the server's TCP sees only the loopback hop to the relay, so what
 * it knows of the path (round trip, delivery rate) is that hop's. {@link PacketLink} emulates the link packet by
 * packet instead, where the machine lets it. The relay's own socket buffers are kept small
 * so that they add little to the router's queue.
 */
public final class LinkEmulator implements AutoCloseable {

    /** Bytes read at a time: about three packets. */
    static final int CHUNK = 4096;
    /** The relay's socket buffers: small, so that what the link holds is the router's queue. */
    static final int SOCKET_BUFFER = 16 << 10;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final List<Direction> toClients = new CopyOnWriteArrayList<>();
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong bytesToClients = new AtomicLong();
    private volatile LinkConditions conditions;
    private volatile boolean closed;

    private LinkEmulator(InetSocketAddress target, LinkConditions conditions) throws IOException {
        this.target = target;
        this.conditions = lossless(conditions);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("link-accept-" + listener.getLocalPort()).start(this::acceptLoop);
    }

    /** Starts relaying to {@code target} on a free loopback port. */
    public static LinkEmulator start(InetSocketAddress target, LinkConditions conditions) throws IOException {
        return new LinkEmulator(target, conditions);
    }

    /** Where clients connect to reach the target through the link. */
    public InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /** Changes the link for new bytes on every connection, open or not yet opened, as a path's capacity changes. */
    public void change(LinkConditions next) {
        conditions = lossless(next);
    }

    private static LinkConditions lossless(LinkConditions conditions) {
        if (conditions.lossRatio() > 0) {
            throw new IllegalArgumentException("a TCP relay cannot lose a packet (TCP delivers every byte it "
                    + "takes): use a PacketLink for " + String.format(java.util.Locale.ROOT, "%.2f",
                    conditions.lossRatio() * 100) + " % loss");
        }
        return conditions;
    }

    /** Bytes delivered to clients so far, over every connection. */
    public long bytesToClients() {
        return bytesToClients.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.setReceiveBufferSize(SOCKET_BUFFER);
                server.connect(target);
                for (Socket s : List.of(client, server)) {
                    s.setTcpNoDelay(true);
                    s.setSendBufferSize(SOCKET_BUFFER);
                    sockets.add(s);
                }
                Direction down = new Direction(server, client, true, bytesToClients);
                Direction up = new Direction(client, server, false, new AtomicLong());
                toClients.add(down);
                down.start("down-" + client.getPort());
                up.start("up-" + client.getPort());
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("link emulator: " + e);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (Socket s : sockets) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing: nothing more to say
            }
        }
    }

    /** One way through the link: read, queue at the bottleneck, serialise at the rate, delay, write. */
    private final class Direction {
        private final Socket from;
        private final Socket to;
        private final boolean capped;
        private final AtomicLong delivered;
        private final RouterQueue queue = new RouterQueue();
        private final DelayLine wire = new DelayLine();

        Direction(Socket from, Socket to, boolean capped, AtomicLong delivered) {
            this.from = from;
            this.to = to;
            this.capped = capped;
            this.delivered = delivered;
        }

        void start(String name) {
            Thread.ofPlatform().daemon().name("link-read-" + name).start(this::read);
            Thread.ofPlatform().daemon().name("link-send-" + name).start(this::transmit);
            Thread.ofPlatform().daemon().name("link-write-" + name).start(this::write);
        }

        private void read() {
            try {
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = from.getInputStream().read(buffer)) > 0) {
                    queue.put(Arrays.copyOf(buffer, n), conditions.routerQueueBytes());
                }
            } catch (IOException | InterruptedException e) {
                // the socket closed: the end goes through like the bytes before it
            }
            try {
                queue.put(new byte[0], Integer.MAX_VALUE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Takes each chunk off the router's queue once the link has sent the one before, at the rate of now. */
        private void transmit() {
            long linkFreeAt = System.nanoTime();
            try {
                while (true) {
                    byte[] chunk = queue.take();
                    LinkConditions now = conditions;
                    long start = Math.max(System.nanoTime(), linkFreeAt);
                    long rate = capped ? now.downBitsPerSecond() : 0;
                    linkFreeAt = start + (rate == 0 ? 0 : chunk.length * 8L * 1_000_000_000L / rate);
                    Clock.sleepUntil(linkFreeAt);
                    queue.release(chunk.length);
                    wire.put(chunk, linkFreeAt + now.roundTrip().toNanos() / 2);
                    if (chunk.length == 0) {
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void write() {
            try {
                while (true) {
                    DelayLine.Arrival arrival = wire.take();
                    Clock.sleepUntil(arrival.dueNanos());
                    if (arrival.bytes().length == 0) {
                        to.shutdownOutput();
                        return;
                    }
                    to.getOutputStream().write(arrival.bytes());
                    delivered.addAndGet(arrival.bytes().length);
                }
            } catch (IOException | InterruptedException e) {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closing
                }
            }
        }
    }
}
