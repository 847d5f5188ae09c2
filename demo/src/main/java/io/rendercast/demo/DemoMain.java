package io.rendercast.demo;

import io.rendercast.rtmp.RtmpServer;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import java.io.IOException;
import java.nio.file.Path;
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

        RtmpServer server = RtmpServer.create();
        server.addConnectHandler(new DemoApplication(options));
        server.start(new InetSocketAddress(options.host(), options.port()));
        int port = server.listenAddress().getPort();
        String page = null;
        if (options.httpPort() >= 0) {
            server.startHttp(new InetSocketAddress(options.host(), options.httpPort()));
            page = "http://localhost:" + server.httpAddress().getPort() + "/";
        }
        System.out.printf("Rendercast demo: %dx%d at %s fps, %s, %d bit/s%n", options.width(), options.height(),
                options.fps(), options.codec(), options.bitrate());
        String rtmps = startRtmps(server, options);
        System.out.printf("watch it:    ffplay rtmp://localhost:%d/%s/demo%n", port, DemoApplication.APP);
        if (rtmps != null) {
            System.out.println(rtmps);
        }
        if (page != null) {
            System.out.println("or steer it: " + page + " in a browser (drag, wheel, C to recolour)");
            System.out.println("as FLV:      ffplay " + page + DemoApplication.APP + "/demo.flv");
        }
        System.out.println("change it:   calls setColor(\"#33aaff\") and moveCamera(dx, dy) on the connection");
        if (options.token() != null) {
            System.out.println("token:       clients must present it: rtmp://localhost:" + port + "/"
                    + DemoApplication.APP + "?token=..." + "/demo, or the page's ?token=...");
        }
        System.out.println("stop it:     Ctrl-C");

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "rendercast-shutdown"));
        stopped.await();
    }

    /** Starts RTMPS when asked for, with the given certificate or a self-signed one; says how to reach it. */
    private static String startRtmps(RtmpServer server, DemoOptions options) throws IOException {
        if (options.rtmpsPort() < 0) {
            return null;
        }
        Path certificate;
        Path key;
        String fingerprint;
        try {
            if (options.tlsCertificate() != null) {
                certificate = Path.of(options.tlsCertificate());
                key = Path.of(options.tlsKey());
                fingerprint = SelfSignedCertificate.fingerprint(certificate);
            } else {
                SelfSignedCertificate made = SelfSignedCertificate.create("localhost");
                certificate = made.certificate();
                key = made.key();
                fingerprint = made.fingerprint() + ", self-signed";
            }
        } catch (IOException e) {
            return "RTMPS is off: " + e.getMessage();
        }
        server.startRtmps(new InetSocketAddress(options.host(), options.rtmpsPort()), certificate, key);
        return "over TLS:    ffplay rtmps://localhost:" + server.rtmpsAddress().getPort() + "/" + DemoApplication.APP
                + "/demo   (certificate SHA-256 " + fingerprint + ")";
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
