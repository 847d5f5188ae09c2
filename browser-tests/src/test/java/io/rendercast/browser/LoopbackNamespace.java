package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.rendercast.linkemulator.kernel.IpCommand;
import io.rendercast.linkemulator.kernel.NetworkNamespace;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace with nothing in it but its loopback device: what {@code unshare -n} then {@code ip link set
 * lo up} make, given a name ({@code ip netns add}) so that this JVM can start a server in it and run a browser in it.
 * A browser there has no address to gather but 127.0.0.1, whatever interfaces the machine has, so a WebRTC test
 * plays over loopback alone. Needs root and iproute2's {@code ip}: under {@code CI=true} their lack fails the test,
 * elsewhere it skips it.
 */
final class LoopbackNamespace implements AutoCloseable {

    private static final String PREFIX = "rendercast-lo-";
    private static final AtomicInteger MADE = new AtomicInteger();

    private final String name;
    private final Thread cleanUp;
    private final List<AutoCloseable> opened = new CopyOnWriteArrayList<>();

    private LoopbackNamespace(String name) {
        this.name = name;
        this.cleanUp = new Thread(() -> IpCommand.quietly("netns", "del", name), "loopback-namespace-clean-up");
    }

    /** Namespaces this class made in processes that are gone (killed before they could remove them). */
    private static void removeThoseOfEndedProcesses() throws IOException {
        for (String line : IpCommand.run("netns", "list").split("\n")) {
            String listed = line.split(" ", 2)[0];
            if (listed.startsWith(PREFIX)) {
                String pid = listed.substring(PREFIX.length()).split("-", 2)[0];
                if (pid.matches("\\d+") && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    IpCommand.quietly("netns", "del", listed);
                }
            }
        }
    }

    static LoopbackNamespace create() {
        String name = PREFIX + ProcessHandle.current().pid() + "-" + MADE.incrementAndGet();
        try {
            removeThoseOfEndedProcesses();
            IpCommand.run("netns", "add", name);
        } catch (IOException e) {
            String why = "a loopback-only network namespace needs root and iproute2's ip: " + e.getMessage();
            if ("true".equals(System.getenv("CI"))) {
                fail(why, e);
            }
            assumeTrue(false, why);
        }
        LoopbackNamespace namespace = new LoopbackNamespace(name);
        // A namespace outlives its process: a test JVM stopped by a signal still removes its own.
        Runtime.getRuntime().addShutdownHook(namespace.cleanUp);
        try {
            IpCommand.run("-n", name, "link", "set", "lo", "up");
        } catch (IOException e) {
            namespace.close();
            fail("cannot bring up the loopback device of " + name, e);
        }
        return namespace;
    }

    /** Runs {@code action} on this thread inside: a server it starts listens there, and only there. */
    <T> T call(Callable<T> action) throws Exception {
        return NetworkNamespace.call(name, action);
    }

    /** A script that runs {@code executable} inside, with the arguments it is given; removed on close. */
    File wrap(File executable) throws IOException {
        Path script = Files.createTempFile("rendercast-in-" + name, ".sh",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.writeString(script, "#!/bin/sh\nexec ip netns exec " + name + " " + executable.getAbsolutePath()
                + " \"$@\"\n", StandardCharsets.UTF_8);
        opened.add(() -> Files.deleteIfExists(script));
        return script.toFile();
    }

    /**
     * A port on this machine's loopback, outside, whose connections are carried to {@code port} on the loopback
     * inside: how this JVM, outside, reaches a browser's driver that listens inside. The caller learns the port
     * first ({@code 0} here picks a free one outside), so returns it.
     */
    int forwardInto(int port) throws IOException {
        ServerSocket listener = new ServerSocket(port, 50, InetAddress.getLoopbackAddress());
        int inside = port == 0 ? listener.getLocalPort() : port;
        opened.add(listener);
        Thread accepting = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket outside = listener.accept();
                    Socket in;
                    try {
                        in = call(() -> new Socket(InetAddress.getLoopbackAddress(), inside));
                    } catch (Exception e) {
                        outside.close(); // nothing listens inside yet: the driver's client tries again
                        continue;
                    }
                    opened.add(outside);
                    opened.add(in);
                    copy(outside, in);
                    copy(in, outside);
                } catch (IOException e) {
                    // closed
                }
            }
        }, "into-" + name + ":" + inside);
        accepting.setDaemon(true);
        accepting.start();
        return inside;
    }

    private static void copy(Socket from, Socket to) {
        Thread copying = new Thread(() -> {
            try (InputStream in = from.getInputStream()) {
                OutputStream out = to.getOutputStream();
                in.transferTo(out);
                to.shutdownOutput();
            } catch (IOException e) {
                // one side closed: the other follows
            }
        }, "copy-" + from.getLocalPort());
        copying.setDaemon(true);
        copying.start();
    }

    @Override
    public void close() {
        for (AutoCloseable each : opened) {
            try {
                each.close();
            } catch (Exception e) {
                // closing what may be closed already
            }
        }
        try {
            IpCommand.run("netns", "del", name);
        } catch (IOException e) {
            System.err.println("LoopbackNamespace: " + e.getMessage());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(cleanUp);
        } catch (IllegalStateException e) {
            // shutting down already: the hook does the same
        }
    }
}
