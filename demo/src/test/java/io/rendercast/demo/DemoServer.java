package io.rendercast.demo;

import io.rendercast.rtmp.RtmpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.List;

/**
 * The demo application on a real server (found through ServiceLoader, as an application finds it), on a free
 * loopback port, at a size small enough for two cores. Watches Netty's leak detector (PARANOID in tests) and
 * fails on close if it reported anything.
 */
final class DemoServer implements AutoCloseable {

    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    private static final List<String> LEAKS = new CopyOnWriteArrayList<>();

    static {
        Logger.getLogger("io.netty.util.ResourceLeakDetector").addHandler(new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() >= Level.SEVERE.intValue() && record.getMessage().contains("LEAK")) {
                    LEAKS.add(record.getMessage());
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        });
    }

    private final RtmpServer server;
    private final DemoApplication application;

    DemoServer() {
        this("h264");
    }

    DemoServer(String codec) {
        this(new DemoApplication(DemoOptions.defaults().on("127.0.0.1", 0, WIDTH, HEIGHT).withCodec(codec)));
    }

    DemoServer(DemoApplication application) {
        this(application, null);
    }

    /** With {@code first} asked about each connection before the application: to watch them, it claims none. */
    DemoServer(DemoApplication application, io.rendercast.rtmp.ConnectHandler first) {
        this.application = application;
        server = RtmpServer.create();
        if (first != null) {
            server.addConnectHandler(first);
        }
        server.addConnectHandler(application);
        try {
            server.start(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts RTMPS with a fresh self-signed certificate; returns its URL for {@code app/stream}. */
    String rtmpsUrl(String app, String stream) throws IOException {
        SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
        server.startRtmps(new InetSocketAddress("127.0.0.1", 0), certificate.certificate(), certificate.key());
        return "rtmps://127.0.0.1:" + server.rtmpsAddress().getPort() + "/" + app + "/" + stream;
    }

    /** Starts the demo's broadcast, {@code live/broadcast}. */
    io.rendercast.rtmp.Broadcast startBroadcast() {
        return application.startBroadcast(server);
    }

    InetSocketAddress address() {
        return server.listenAddress();
    }

    /** The HTTP port (HTTP-FLV, the page), started on first use on a free loopback port. */
    InetSocketAddress httpAddress() {
        if (server.httpAddress() == null) {
            try {
                server.startHttp(new InetSocketAddress("127.0.0.1", 0));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return server.httpAddress();
    }

    String url(String app, String stream) {
        return "rtmp://127.0.0.1:" + server.listenAddress().getPort() + "/" + app + "/" + stream;
    }

    @Override
    public void close() {
        // A leak shows once the collector has found the buffer and the detector tracks a new one; the server
        // allocates with every frame, so a short wait after a collection brings out what there is.
        System.gc();
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        if (!LEAKS.isEmpty()) {
            String report = String.join("\n", LEAKS);
            LEAKS.clear();
            throw new AssertionError("Netty reported leaked buffers:\n" + report);
        }
    }
}
