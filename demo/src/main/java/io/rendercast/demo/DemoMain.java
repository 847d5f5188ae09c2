package io.rendercast.demo;

import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Starts the demo server and runs until interrupted. */
public final class DemoMain {

    private DemoMain() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (DemoOptions.HelpRequested e) {
            System.out.println(e.getMessage());
            return;
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        try {
            configureLogging(options.logLevel());
        } catch (IllegalArgumentException e) {
            System.err.println("--log-level takes SEVERE, WARNING, INFO or FINE, got " + options.logLevel());
            System.exit(2);
            return;
        }
        System.setProperty(VideoEncoders.CHOICE_PROPERTY, options.encoder());
        String codec = options.codec().equals("none") ? "screen video" : options.codec();
        try {
            System.out.println("encoder: " + VideoEncoders.choose(codec, options.encoder(), VideoEncoders.providers())
                    .why());
        } catch (VideoEncoderException e) {
            System.err.println("no " + codec + " encoder can run: " + e.getMessage());
            System.exit(1);
            return;
        }

        RtmpServer server = RtmpServer.create(RtmpServerOptions.builder()
                .broadcastWriteDelay(Duration.ofMillis(options.broadcastWriteDelayMillis()))
                .minRenderHeadroomPercent(options.minRenderHeadroom()).build());
        DemoApplication application = new DemoApplication(options);
        server.addConnectHandler(application);
        server.start(new InetSocketAddress(options.host(), options.port()));
        io.rendercast.rtmp.Broadcast broadcast = application.startBroadcast(server);
        if (options.push() != null) {
            broadcast.pushTo(options.push());
        }
        int port = server.listenAddress().getPort();
        Tls tls = options.rtmpsPort() >= 0 || options.https() ? Tls.of(options) : null;
        String page = null;
        if (options.httpPort() >= 0) {
            InetSocketAddress http = new InetSocketAddress(options.host(), options.httpPort());
            if (options.https() && tls != null && tls.problem() == null) {
                server.startHttps(http, tls.certificate(), tls.key());
                page = "https://localhost:" + server.httpAddress().getPort() + "/";
            } else {
                server.startHttp(http);
                page = "http://localhost:" + server.httpAddress().getPort() + "/";
            }
        }
        String rtmps = startRtmps(server, options, tls);
        if (page != null && options.webRtcPort() > 0) {
            try {
                server.startWebRtc(new InetSocketAddress(options.host(), options.webRtcPort()), options.webRtcHost());
            } catch (IOException e) {
                // Said and ended, not thrown: the ports already open would keep a half-started server running.
                System.err.println(e.getMessage() + " (--webrtc-port 0 turns WebRTC off)");
                server.close();
                System.exit(1);
                return;
            }
        }
        if (options.agentPort() > 0) {
            server.startAgentCheck(new InetSocketAddress(options.host(), options.agentPort()));
        }
        System.out.printf("watch it:    ffplay rtmp://localhost:%d/%s/demo%n", port, DemoApplication.APP);
        System.out.printf("one for all: ffplay rtmp://localhost:%d/%s/%s   (a broadcast: rendered once for every "
                + "player)%n", port, DemoApplication.APP, DemoApplication.BROADCAST);
        if (options.push() != null) {
            System.out.println("pushed to:   " + options.push() + "   (the broadcast, reconnecting when it goes away)");
        }
        if (rtmps != null) {
            System.out.println(rtmps);
        }
        if (page != null) {
            System.out.println("or steer it: " + page + " in a browser (drag, wheel, C to recolour)");
            System.out.println("as FLV:      ffplay " + page + DemoApplication.APP + "/demo.flv");
            if (server.webRtcAddress() != null) {
                System.out.println("over WebRTC: a WHEP player at " + page + "whep/" + DemoApplication.APP
                        + "/demo (media on UDP " + server.webRtcAddress().getPort() + ")");
            }
        }
        System.out.println("change it:   calls setColor(\"#33aaff\") and moveCamera(dx, dy) on the connection");
        if (options.token() != null) {
            System.out.println("token:       clients must present it: rtmp://localhost:" + port + "/"
                    + DemoApplication.APP + "?token=..." + "/demo, or the page's ?token=...");
        }
        if (server.agentCheckAddress() != null) {
            System.out.println("balancer:    HAProxy agent check on port " + server.agentCheckAddress().getPort()
                    + (page != null ? ", health at " + page + "health" : ""));
        }
        System.out.println("stop it:     Ctrl-C; SIGTERM drains first (new viewers refused, players play on for up "
                + "to " + options.drainTimeoutSeconds() + " s), then exits 0");

        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM (an orchestrator, systemd, kill) drains first: nothing is cut mid-frame, and a balancer sends no
        // one new once it began. Ctrl-C (SIGINT) closes at once, as a person at a terminal expects.
        sun.misc.Signal.handle(new sun.misc.Signal("TERM"), signal -> Thread.ofPlatform().name("rendercast-drain")
                .start(() -> {
                    server.drain(java.time.Duration.ofSeconds(options.drainTimeoutSeconds())).join();
                    System.exit(0); // the shutdown hook closes the server
                }));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "rendercast-shutdown"));
        stopped.await();
    }

    /** The certificate and key for RTMPS and HTTPS: the ones given, or a self-signed pair; or why there is none. */
    private record Tls(Path certificate, Path key, String fingerprint, String problem) {
        static Tls of(DemoOptions options) {
            try {
                if (options.tlsCertificate() != null) {
                    Path certificate = Path.of(options.tlsCertificate());
                    return new Tls(certificate, Path.of(options.tlsKey()),
                            SelfSignedCertificate.fingerprint(certificate), null);
                }
                SelfSignedCertificate made = SelfSignedCertificate.create("localhost");
                return new Tls(made.certificate(), made.key(), made.fingerprint() + ", self-signed", null);
            } catch (IOException e) {
                return new Tls(null, null, null, e.getMessage());
            }
        }
    }

    /** Starts RTMPS when asked for; says how to reach it, or why it is off. */
    private static String startRtmps(RtmpServer server, DemoOptions options, Tls tls) throws IOException {
        if (options.rtmpsPort() < 0) {
            return null;
        }
        if (tls.problem() != null) {
            return "RTMPS is off: " + tls.problem();
        }
        server.startRtmps(new InetSocketAddress(options.host(), options.rtmpsPort()), tls.certificate(), tls.key());
        return "over TLS:    ffplay rtmps://localhost:" + server.rtmpsAddress().getPort() + "/" + DemoApplication.APP
                + "/demo   (certificate SHA-256 " + tls.fingerprint() + ")";
    }

    /** One line per record, at the level asked for, for the server's loggers and the demo's. */
    private static void configureLogging(String level) {
        Level parsed = Level.parse(level);
        System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tT %4$-7s %3$s: %5$s%6$s%n");
        Logger root = Logger.getLogger("");
        root.setLevel(parsed);
        for (Handler handler : root.getHandlers()) {
            handler.setLevel(parsed);
        }
    }
}
