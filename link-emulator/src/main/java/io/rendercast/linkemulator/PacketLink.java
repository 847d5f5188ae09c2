package io.rendercast.linkemulator;

import io.rendercast.linkemulator.kernel.IpCommand;
import io.rendercast.linkemulator.kernel.NetworkNamespace;
import io.rendercast.linkemulator.kernel.TunDevice;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An emulated link in the kernel's own path, packet by packet: the server's sockets live in a network namespace of
 * their own (made there by {@link #inServerNamespace}), and every player on this machine, whatever program it is,
 * reaches them at {@link #serverAddress()} through the link. Every IP packet between the two passes through a TUN
 * device on each side and this process, which loses it at random, or queues it at the bottleneck (dropping when
 * the router's queue is full), sends it at the link's rate and delays it ({@link PacketPath}).
 *
 * <p>This kernel has no netem, so the delay and the loss are made here, in user space. Unlike the TCP relay
 * ({@link LinkEmulator}), nothing terminates TCP on the way: the server's TCP sees the path a player's would, its
 * round trip, delivery rate, losses and retransmissions. Needs root (a network namespace and two TUN devices) and
 * iproute2's {@code ip}.
 */
public final class PacketLink implements AutoCloseable {

    private static final AtomicInteger OPENED = new AtomicInteger();
    private static final int POLL_MILLIS = 200;

    private final String namespace;
    private final TunDevice serverSide; // in the namespace
    private final TunDevice playerSide;
    private final InetAddress serverAddress;
    private final PacketPath down;
    private final PacketPath up;
    private final AtomicLong bytesToPlayers = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final Thread cleanUp;
    private volatile LinkConditions conditions;
    private volatile boolean closed;

    private PacketLink(String namespace, TunDevice serverSide, TunDevice playerSide, InetAddress serverAddress,
                       LinkConditions conditions) {
        this.namespace = namespace;
        this.serverSide = serverSide;
        this.playerSide = playerSide;
        this.serverAddress = serverAddress;
        this.conditions = conditions;
        long seed = 0x5eed_1ab5L;
        this.down = new PacketPath(true, seed);
        this.up = new PacketPath(false, seed + 1);
        this.cleanUp = new Thread(() -> IpCommand.quietly("netns", "del", namespace), "packet-link-clean-up");
    }

    /**
     * Makes the server's namespace and the two devices, and starts carrying packets under {@code conditions}.
     * Throws, saying what is missing, where the machine does not let it (no root, no TUN, no {@code ip}).
     */
    public static PacketLink open(LinkConditions conditions) throws IOException {
        long pid = ProcessHandle.current().pid();
        int k = OPENED.incrementAndGet();
        for (int attempt = 0; ; attempt++) {
            // a subnet of 10.231.0.0/16 of this link's own; another process may hold the one tried first
            int subnet = (int) Math.floorMod(pid * 31 + k * 7 + attempt * 53L, 250) + 1;
            try {
                return open(conditions, "rendercast-" + pid + "-" + k, pid % 100_000 + "x" + k, subnet);
            } catch (IOException e) {
                if (attempt == 4 || !String.valueOf(e.getMessage()).contains("File exists")) {
                    throw e;
                }
            }
        }
    }

    private static PacketLink open(LinkConditions conditions, String namespace, String suffix, int subnet)
            throws IOException {
        String server = "10.231." + subnet + ".1";
        String player = "10.231." + subnet + ".2";
        TunDevice playerSide = TunDevice.create("rcp" + suffix);
        TunDevice serverSide = null;
        try {
            serverSide = TunDevice.create("rcs" + suffix);
            // no IPv6 link-local address, nor the router solicitations that come with one: only what is sent
            IpCommand.run("link", "set", playerSide.name(), "addrgenmode", "none");
            IpCommand.run("addr", "add", player, "peer", server, "dev", playerSide.name());
            IpCommand.run("link", "set", playerSide.name(), "up");
            IpCommand.run("netns", "add", namespace);
            IpCommand.run("link", "set", serverSide.name(), "netns", namespace);
            IpCommand.run("-n", namespace, "link", "set", serverSide.name(), "addrgenmode", "none");
            IpCommand.run("-n", namespace, "addr", "add", server, "peer", player, "dev", serverSide.name());
            IpCommand.run("-n", namespace, "link", "set", serverSide.name(), "up");
            IpCommand.run("-n", namespace, "link", "set", "lo", "up");
            PacketLink link = new PacketLink(namespace, serverSide, playerSide, InetAddress.getByName(server),
                    conditions);
            // A namespace outlives its process: one stopped by a signal still removes its own.
            Runtime.getRuntime().addShutdownHook(link.cleanUp);
            link.carry(serverSide, playerSide, link.down, link.bytesToPlayers, "down");
            link.carry(playerSide, serverSide, link.up, new AtomicLong(), "up");
            return link;
        } catch (IOException | RuntimeException e) {
            playerSide.close();
            if (serverSide != null) {
                serverSide.close();
            }
            IpCommand.quietly("netns", "del", namespace);
            throw e;
        }
    }

    /** Where players reach, through the link, a server listening in the server's namespace. */
    public InetAddress serverAddress() {
        return serverAddress;
    }

    /**
     * Runs {@code action} on this thread in the server's namespace: a server started there (its listening sockets
     * are made on the thread that starts it) listens at {@link #serverAddress()}, behind the link, and its
     * connections stay there. Outside the namespace, only the link reaches it.
     */
    public <T> T inServerNamespace(Callable<T> action) throws Exception {
        return NetworkNamespace.call(namespace, action);
    }

    /**
     * The TCP congestion control of the server's namespace: set to {@code wanted} first unless it is null or empty
     * (one of the kernel's {@code tcp_available_congestion_control}), and returned. A namespace starts with the
     * machine's; it matters here, since a server's TCP behind a slow link behaves as its congestion control does
     * (BBR rides out random loss, but stops a stream for a few hundred milliseconds to measure the round trip afresh
     * when ten seconds pass without a sample at its least; CUBIC's window collapses under random loss).
     */
    public String congestionControl(String wanted) throws Exception {
        Path setting = Path.of("/proc/sys/net/ipv4/tcp_congestion_control");
        // The kernel reads a net sysctl in the namespace of the thread that opens it.
        return inServerNamespace(() -> {
            if (wanted != null && !wanted.isBlank()) {
                Files.writeString(setting, wanted.strip());
            }
            return Files.readString(setting).strip();
        });
    }

    /** Changes the link for packets from now on, as a path's capacity changes. */
    public void change(LinkConditions next) {
        conditions = next;
    }

    /** IP bytes delivered toward the players so far. */
    public long bytesToPlayers() {
        return bytesToPlayers.get();
    }

    /** Packets lost at random so far, both ways. */
    public long packetsLost() {
        return down.lost() + up.lost();
    }

    /** Packets the full router queue dropped so far. */
    public long packetsDroppedAtQueue() {
        return down.overflowed();
    }

    private void carry(TunDevice from, TunDevice to, PacketPath path, AtomicLong delivered, String way) {
        DelayLine wire = new DelayLine();
        threads.add(Thread.ofPlatform().daemon().name("packet-link-" + way + "-in").start(() -> {
            try {
                while (!closed) {
                    byte[] packet = from.read(POLL_MILLIS);
                    if (packet != null) {
                        long due = path.arrival(packet.length, System.nanoTime(), conditions);
                        if (due >= 0) {
                            wire.put(packet, due);
                        }
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("packet link: " + e.getMessage());
                }
            }
        }));
        threads.add(Thread.ofPlatform().daemon().name("packet-link-" + way + "-out").start(() -> {
            try {
                while (!closed) {
                    DelayLine.Arrival arrival = wire.take();
                    Clock.sleepUntil(arrival.dueNanos());
                    to.write(arrival.bytes());
                    delivered.addAndGet(arrival.bytes().length);
                }
            } catch (InterruptedException e) {
                // closing
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("packet link: " + e.getMessage());
                }
            }
        }));
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        threads.forEach(Thread::interrupt);
        boolean stopped = false;
        try {
            for (Thread t : threads) {
                t.join(5 * POLL_MILLIS + 1000);
            }
            stopped = threads.stream().noneMatch(Thread::isAlive);
        } finally {
            if (stopped) {
                // only now: a descriptor closed under a thread between poll and read could be another file's
                serverSide.close();
                playerSide.close();
            }
            IpCommand.quietly("netns", "del", namespace);
            try {
                Runtime.getRuntime().removeShutdownHook(cleanUp);
            } catch (IllegalStateException e) {
                // shutting down already: the hook does the same
            }
        }
    }
}
