package io.rendercast.demo;

import java.util.Set;

/**
 * The demo's settings.
 *
 * @param httpPort the viewer page's port (WebSocket, HTTP-FLV), or -1 for none
 * @param codec   {@code h264}, {@code hevc}, {@code av1}, {@code sorenson}, {@code screen video}, or {@code none}
 *                (the demo then encodes Screen Video itself and the server sends its bytes as they are); HEVC
 *                and AV1 go only to clients that list them in Enhanced RTMP's {@code fourCcList}, and others get
 *                H.264
 * @param encoder {@code auto}, or an encoder provider's name ({@code x264}, ...)
 * @param canvas  {@code cpu} (the 2D scene drawn in Java) or {@code gpu} (the 3D scene of canvas-gpu)
 * @param token   what a client must present to connect, or null to let every client in
 * @param rtmpsPort      the RTMPS port, or -1 for none
 * @param tlsCertificate the certificate chain (PEM) for RTMPS, or null for a self-signed one made at start
 * @param tlsKey         its private key (PEM, PKCS#8), or null
 * @param https          whether the HTTP port speaks TLS (HTTPS, WSS), with the same certificate
 * @param push           an upstream RTMP URL the broadcast is pushed to, or null
 * @param broadcastWriteDelayMillis how long the broadcast holds frames to write them to each player together
 */
public record DemoOptions(String host, int port, int httpPort, int width, int height, double fps, long bitrate,
                          String codec, String encoder, String canvas, String logLevel, String token,
                          int rtmpsPort, String tlsCertificate, String tlsKey, boolean https, String push,
                          long broadcastWriteDelayMillis) {

    /** The codecs {@code --codec} takes. */
    public static final Set<String> CODECS = Set.of("h264", "hevc", "av1", "sorenson", "screen video", "none");

    public static DemoOptions defaults() {
        return new DemoOptions("0.0.0.0", 1935, 8080, 1280, 720, 30, 2_500_000, "h264", "auto", "cpu", "INFO",
                null, 1936, null, null, false, null, 100);
    }

    /** These options on another port and size, with no HTTP port, as tests use them. */
    public DemoOptions on(String host, int port, int width, int height) {
        return new DemoOptions(host, port, -1, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, -1, tlsCertificate, tlsKey, https, push,
                broadcastWriteDelayMillis);
    }

    /** These options at another frame rate and bit rate. */
    public DemoOptions withRate(double fps, long bitrate) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push,
                broadcastWriteDelayMillis);
    }

    /** These options with a token every client must present. */
    public DemoOptions withToken(String token) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push,
                broadcastWriteDelayMillis);
    }

    /** These options with another codec. */
    public DemoOptions withCodec(String codec) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push,
                broadcastWriteDelayMillis);
    }

    /** These options with another canvas. */
    public DemoOptions withCanvas(String canvas) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push,
                broadcastWriteDelayMillis);
    }

    static final String USAGE = """
            usage: rendercast demo [--host ADDRESS] [--port N] [--http-port N] [--size WxH] [--fps N] [--bitrate BITS]
                                   [--codec CODEC] [--encoder NAME] [--canvas cpu|gpu] [--log-level LEVEL]
                                   [--token SECRET] [--rtmps-port N] [--tls-cert PEM --tls-key PEM] [--https]
                                   [--push rtmp://HOST[:PORT]/APP/NAME] [--broadcast-write-delay MS]
              --host      address to listen on (default 0.0.0.0)
              --port      RTMP port (default 1935)
              --http-port the viewer page, WebSocket and HTTP-FLV port; 0 turns it off (default 8080)
              --size      picture size (default 1280x720)
              --fps       frames per second (default 30)
              --bitrate   bit rate in bits per second, for H.264 and Sorenson (default 2500000)
              --codec     h264, hevc, av1, sorenson, "screen video", or none (default h264); HEVC and AV1
                          go to Enhanced RTMP clients, and others get H.264
              --encoder   auto, or an encoder provider's name such as x264 (default auto)
              --canvas    cpu: a 2D scene drawn in Java; gpu: a lit 3D scene rendered with OpenGL (default cpu)
              --log-level SEVERE, WARNING, INFO, FINE (default INFO)
              --rtmps-port RTMP inside TLS; 0 turns it off (default 1936)
              --tls-cert, --tls-key  the certificate chain and PKCS#8 key in PEM for RTMPS (default: a
                          self-signed pair made at start with openssl, its fingerprint printed)
              --https     the HTTP port speaks TLS (HTTPS, WSS) with the same certificate: a browser off this
                          machine decodes with WebCodecs only on a secure page
              --token     refuse clients that do not present it: rtmp://host/live?token=SECRET/demo, the viewer
                          page's ?token=SECRET, or a connect argument {token: SECRET} (default: open to all)
              --push      publish the broadcast (live/broadcast) to an upstream RTMP server such as nginx-rtmp,
                          connecting again with a backoff when it goes away
              --broadcast-write-delay  how long the broadcast holds frames to write them to each player
                          together, 0 to 1000 ms: fewer writes, less CPU per player (default 100)
            then watch it:  ffplay rtmp://localhost:1935/live/demo, or open http://localhost:8080/""";

    /**
     * Parses command-line options.
     *
     * @throws IllegalArgumentException naming the option that is wrong and what it takes
     */
    public static DemoOptions parse(String... args) {
        DemoOptions d = defaults();
        String host = d.host;
        int port = d.port;
        int httpPort = d.httpPort;
        int width = d.width;
        int height = d.height;
        double fps = d.fps;
        long bitrate = d.bitrate;
        String codec = d.codec;
        String encoder = d.encoder;
        String canvas = d.canvas;
        String logLevel = d.logLevel;
        String token = d.token;
        int rtmpsPort = d.rtmpsPort;
        String tlsCertificate = d.tlsCertificate;
        String tlsKey = d.tlsKey;
        boolean https = d.https;
        String push = d.push;
        long broadcastWriteDelayMillis = d.broadcastWriteDelayMillis;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (name.equals("--https")) {
                https = true;
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            try {
                switch (name) {
                    case "--host" -> host = value;
                    case "--port" -> port = Integer.parseInt(value);
                    case "--http-port" -> {
                        httpPort = Integer.parseInt(value);
                        httpPort = httpPort == 0 ? -1 : httpPort;
                    }
                    case "--size" -> {
                        String[] parts = value.toLowerCase().split("x");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, such as 1280x720, got " + value);
                        }
                        width = Integer.parseInt(parts[0]);
                        height = Integer.parseInt(parts[1]);
                    }
                    case "--fps" -> fps = Double.parseDouble(value);
                    case "--bitrate" -> bitrate = Long.parseLong(value);
                    case "--codec" -> codec = value.replace('-', ' ');
                    case "--encoder" -> encoder = value;
                    case "--canvas" -> canvas = value;
                    case "--log-level" -> logLevel = value.toUpperCase();
                    case "--token" -> token = value;
                    case "--rtmps-port" -> {
                        rtmpsPort = Integer.parseInt(value);
                        rtmpsPort = rtmpsPort == 0 ? -1 : rtmpsPort;
                    }
                    case "--tls-cert" -> tlsCertificate = value;
                    case "--tls-key" -> tlsKey = value;
                    case "--push" -> push = value;
                    case "--broadcast-write-delay" -> broadcastWriteDelayMillis = Long.parseLong(value);
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + name + " takes a number, got '" + value + "'");
            }
        }
        if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("--size must be even and at least 16x16, got " + width + "x" + height);
        }
        if (!(fps > 0 && fps <= 240)) {
            throw new IllegalArgumentException("--fps must be in (0, 240], got " + fps);
        }
        if ((tlsCertificate == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        if (port < 0 || port > 65535 || httpPort > 65535 || httpPort < -1 || rtmpsPort > 65535 || bitrate <= 0) {
            throw new IllegalArgumentException("--port and --http-port must be 0 to 65535 and --bitrate positive");
        }
        if (!CODECS.contains(codec)) {
            throw new IllegalArgumentException("--codec takes h264, hevc, av1, sorenson, \"screen video\" or none, got "
                    + codec);
        }
        if (push != null && !push.matches("rtmp://[^/]+/.+/[^/]+")) {
            throw new IllegalArgumentException("--push takes rtmp://host[:port]/app/name, got " + push);
        }
        if (broadcastWriteDelayMillis < 0 || broadcastWriteDelayMillis > 1000) {
            throw new IllegalArgumentException("--broadcast-write-delay takes 0 to 1000 ms, got "
                    + broadcastWriteDelayMillis);
        }
        if (!canvas.equals("cpu") && !canvas.equals("gpu")) {
            throw new IllegalArgumentException("--canvas takes cpu or gpu, got " + canvas);
        }
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push,
                broadcastWriteDelayMillis);
    }
}
