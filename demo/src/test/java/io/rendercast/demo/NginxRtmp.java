package io.rendercast.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * nginx with Debian's RTMP module on a free loopback port, one process in the foreground, its files in a
 * directory of its own: an upstream for the relay, as users run it (application {@code live}, live on). Public for
 * the cluster tests, which take it from this module's test jar.
 */
public final class NginxRtmp implements AutoCloseable {

    private final Path directory;
    private final int port;
    private Process process;

    public NginxRtmp() throws IOException {
        this("");
    }

    /**
     * With more directives for application {@code live}: {@code push rtmp://...;} makes it an edge that passes
     * what it gets on to another, as operators chain nginx-rtmp edges.
     */
    public NginxRtmp(String liveDirectives) throws IOException {
        ExternalTool.NGINX.require();
        directory = Files.createTempDirectory("rendercast-nginx");
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Files.writeString(directory.resolve("nginx.conf"), """
                load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log info;
                events { worker_connections 1024; }
                rtmp {
                    # Its own log, not the packaged default under /var/log, which only root may open.
                    access_log %1$s/access.log;
                    server {
                        listen 127.0.0.1:%2$d;
                        chunk_size 4096;
                        application live { live on; record off; %3$s }
                    }
                }
                """.formatted(directory, port, liveDirectives));
        start();
    }

    /** Starts nginx and waits until it takes connections. */
    void start() throws IOException {
        process = new ProcessBuilder(ExternalTool.NGINX.command(), "-p", directory.toString(), "-e",
                directory.resolve("error.log").toString(), "-c", directory.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("stdout.log").toFile()).start();
        try {
            Awaitility.await("nginx listens on port " + port)
                    .atMost(Duration.ofSeconds(10))
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .until(this::listening);
        } catch (ConditionTimeoutException e) {
            throw new IOException("nginx did not listen within 10 s: " + log(), e);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** Whether nginx takes a connection; an UncheckedIOException, which ends the wait, where it has exited. */
    private boolean listening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            if (!process.isAlive()) {
                throw new UncheckedIOException(new IOException("nginx exited at start: " + log()));
            }
            return false;
        }
    }

    /** Kills nginx, as a crash or a restart would, and waits until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public int port() {
        return port;
    }

    public String url(String app, String stream) {
        return "rtmp://127.0.0.1:" + port + "/" + app + "/" + stream;
    }

    public String log() {
        try {
            return Files.readString(directory.resolve("error.log"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        kill();
    }
}
