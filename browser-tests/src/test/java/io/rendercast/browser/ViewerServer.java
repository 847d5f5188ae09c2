package io.rendercast.browser;

import io.rendercast.demo.DemoApplication;
import io.rendercast.demo.DemoOptions;
import io.rendercast.demo.SelfSignedCertificate;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.RtmpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** The demo application on free RTMP and HTTP ports of this machine, as the browser tests play it. */
final class ViewerServer implements AutoCloseable {

    final int width;
    final int height;
    private final RtmpServer server;
    /** Every connection the server accepted, in order: the page's, and any other client's. */
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final String host;
    private final DemoApplication application;
    private String scheme = "http";

    ViewerServer(int width, int height, double fps) {
        this(width, height, fps, 0, "h264");
    }

    ViewerServer(int width, int height, double fps, int httpPort) {
        this(width, height, fps, httpPort, "h264");
    }

    ViewerServer(int width, int height, double fps, int httpPort, String codec) {
        this(width, height, fps, httpPort, codec, null);
    }

    /**
     * With the HTTP port at {@code httpPort} (0: a free one), streaming {@code codec} to clients that play it,
     * to clients that present {@code token} (null: to all).
     */
    ViewerServer(int width, int height, double fps, int httpPort, String codec, String token) {
        this(width, height, fps, httpPort, codec, token, false);
    }

    /** As above; with {@code https}, the HTTP port speaks TLS with a self-signed certificate made for the test. */
    ViewerServer(int width, int height, double fps, int httpPort, String codec, String token, boolean https) {
        this("127.0.0.1", width, height, fps, httpPort, codec, token, https);
    }

    /** The demo's H.264 stream, listening on {@code host}: a packet link's server address, say. */
    static ViewerServer on(String host, int width, int height, double fps) {
        return new ViewerServer(host, width, height, fps, 0, "h264", null, false);
    }

    private ViewerServer(String host, int width, int height, double fps, int httpPort, String codec, String token,
                         boolean https) {
        this.host = host;
        this.width = width;
        this.height = height;
        server = RtmpServer.create();
        server.addConnectHandler((create, connection, command, args) -> {
            if (create) {
                connections.add(connection);
            }
            return false; // the demo's handler, next, accepts it
        });
        application = new DemoApplication(DemoOptions.defaults().on(host, 0, width, height)
                .withRate(fps, 2_500_000).withCodec(codec).withToken(token));
        server.addConnectHandler(application);
        try {
            server.start(new InetSocketAddress(host, 0));
            InetSocketAddress http = new InetSocketAddress(host, httpPort);
            if (https) {
                SelfSignedCertificate certificate = SelfSignedCertificate.create("localhost");
                server.startHttps(http, certificate.certificate(), certificate.key());
            } else {
                server.startHttp(http);
            }
            this.scheme = https ? "https" : "http";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The viewer page playing {@code stream} ({@code app/name}), with more query parameters if given. */
    String page(String stream, String more) {
        return page(server.httpAddress().getPort(), stream, more);
    }

    /** As above, from the HTTP port {@code port}: a relay's in front of the server's. */
    String page(int port, String stream, String more) {
        return scheme + "://" + host + ":" + port + "/?stream=" + stream + more;
    }

    InetSocketAddress httpAddress() {
        return server.httpAddress();
    }

    int httpPort() {
        return server.httpAddress().getPort();
    }

    String rtmp(String stream) {
        return "rtmp://" + host + ":" + server.listenAddress().getPort() + "/" + stream;
    }

    String ws(String stream) {
        return "ws://" + host + ":" + server.httpAddress().getPort() + "/ws/" + stream;
    }

    /** Starts WebRTC (WHEP on the HTTP port) with its media on a free UDP port; returns this. */
    ViewerServer withWebRtc() {
        try {
            server.startWebRtc(new InetSocketAddress(host, 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** Starts the demo's broadcast, live/broadcast, rendered once for all its players; returns this. */
    ViewerServer withBroadcast() {
        application.startBroadcast(server);
        return this;
    }

    /** The WHEP endpoint for {@code stream} ({@code app/name}), with a query if given. */
    String whep(String stream, String query) {
        return scheme + "://" + host + ":" + server.httpAddress().getPort() + "/whep/" + stream + query;
    }

    /** The server itself, for a test that drains it. */
    RtmpServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
