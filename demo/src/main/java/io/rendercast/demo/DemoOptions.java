package io.rendercast.demo;

import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

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
 * @param drainTimeoutSeconds how long a drain (SIGTERM) lets players play on before it closes them
 * @param agentPort      HAProxy's agent check port, or -1 for none
 * @param minRenderHeadroom the least share of render turns left unused for a new stream to start, 0 for no such
 *                          limit ({@code RtmpServerOptions.minRenderHeadroomPercent})
 * @param controlToken   what a viewer of the broadcast presents to be let steer it (it then asks for control, and
 *                       the first to ask controls), or null: then anyone may ask, and the first to ask controls
 * @param viewToken      what a client must present (or the control token) to connect and watch, or null
 * @param webRtcPort     the UDP port WHEP players get their media on, or -1 for none (WHEP is then refused)
 * @param webRtcHost     what the WHEP answer's candidate names as that port's host, or null: where the player reached
 *                       the HTTP port (a node behind a load balancer, or NAT, names its own public address)
 */
public record DemoOptions(String host, int port, int httpPort, int width, int height, double fps, long bitrate,
                          String codec, String encoder, String canvas, String logLevel, String token,
                          int rtmpsPort, String tlsCertificate, String tlsKey, boolean https, String push,
                          long broadcastWriteDelayMillis, long drainTimeoutSeconds, int agentPort,
                          int minRenderHeadroom, String controlToken, String viewToken, int webRtcPort,
                          String webRtcHost) {

    /** The codecs {@code --codec} takes. */
    public static final Set<String> CODECS = Set.of("h264", "hevc", "av1", "sorenson", "screen video", "none");

    /** {@code --help} was given: no options to run with, and no error either. Its message is the usage. */
    public static final class HelpRequested extends IllegalArgumentException {
        HelpRequested(String usage) {
            super(usage);
        }
    }

    /** The options with no arguments: the defaults that {@code --help} lists. */
    public static DemoOptions defaults() {
        return parse();
    }

    /**
     * Parses command-line options.
     *
     * @throws IllegalArgumentException naming the option that is wrong and what it takes
     * @throws HelpRequested            for {@code --help}, with the usage as its message
     */
    public static DemoOptions parse(String... args) {
        CommandLineArguments arguments = new CommandLineArguments();
        CommandLine line = new CommandLine(arguments);
        try {
            if (line.parseArgs(args).isUsageHelpRequested()) {
                throw new HelpRequested(line.getUsageMessage());
            }
        } catch (ParameterException e) {
            throw new IllegalArgumentException(e.getMessage() + "\n" + line.getUsageMessage(), e);
        }
        return arguments.options();
    }

    /** These options on another port and size, with no HTTP port, as tests use them. */
    public DemoOptions on(String host, int port, int width, int height) {
        return new DemoOptions(host, port, -1, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, -1, tlsCertificate, tlsKey, https, push, broadcastWriteDelayMillis, drainTimeoutSeconds,
                agentPort, minRenderHeadroom, controlToken, viewToken, -1, null);
    }

    /** These options at another frame rate and bit rate. */
    public DemoOptions withRate(double fps, long bitrate) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push, broadcastWriteDelayMillis, drainTimeoutSeconds,
                agentPort, minRenderHeadroom, controlToken, viewToken, webRtcPort, webRtcHost);
    }

    /** These options with a token every client must present. */
    public DemoOptions withToken(String token) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push, broadcastWriteDelayMillis, drainTimeoutSeconds,
                agentPort, minRenderHeadroom, controlToken, viewToken, webRtcPort, webRtcHost);
    }

    /** These options with another codec. */
    public DemoOptions withCodec(String codec) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push, broadcastWriteDelayMillis, drainTimeoutSeconds,
                agentPort, minRenderHeadroom, controlToken, viewToken, webRtcPort, webRtcHost);
    }

    /** These options with another canvas. */
    public DemoOptions withCanvas(String canvas) {
        return new DemoOptions(host, port, httpPort, width, height, fps, bitrate, codec, encoder, canvas, logLevel,
                token, rtmpsPort, tlsCertificate, tlsKey, https, push, broadcastWriteDelayMillis, drainTimeoutSeconds,
                agentPort, minRenderHeadroom, controlToken, viewToken, webRtcPort, webRtcHost);
    }

    /** The command line as picocli reads it: names, defaults and help; {@link #options()} checks what they mean. */
    @Command(name = "rendercast demo", sortOptions = false, sortSynopsis = false, usageHelpWidth = 110,
            footer = "then watch it:  ffplay rtmp://localhost:1935/live/demo, or open http://localhost:8080/")
    static final class CommandLineArguments {

        @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0",
                description = "address to listen on (default ${DEFAULT-VALUE})")
        private String host;

        @Option(names = "--port", paramLabel = "N", defaultValue = "1935", description = "RTMP port (default ${DEFAULT-VALUE})")
        private int port;

        @Option(names = "--http-port", paramLabel = "N", defaultValue = "8080",
                description = "the viewer page, WebSocket and HTTP-FLV port; 0 turns it off (default ${DEFAULT-VALUE})")
        private int httpPort;

        @Option(names = "--size", paramLabel = "WxH", defaultValue = "1280x720",
                description = "picture size (default ${DEFAULT-VALUE})")
        private String size;

        @Option(names = "--fps", paramLabel = "N", defaultValue = "30", description = "frames per second (default ${DEFAULT-VALUE})")
        private double fps;

        @Option(names = "--bitrate", paramLabel = "BITS", defaultValue = "2500000",
                description = "bit rate in bits per second, for H.264 and Sorenson (default ${DEFAULT-VALUE})")
        private long bitrate;

        @Option(names = "--codec", paramLabel = "CODEC", defaultValue = "h264",
                description = "h264, hevc, av1, sorenson, \"screen video\", or none (default ${DEFAULT-VALUE}); HEVC and "
                        + "AV1 go to Enhanced RTMP clients, and others get H.264")
        private String codec;

        @Option(names = "--encoder", paramLabel = "NAME", defaultValue = "auto",
                description = "auto, or an encoder provider's name such as x264 (default ${DEFAULT-VALUE})")
        private String encoder;

        @Option(names = "--canvas", paramLabel = "cpu|gpu", defaultValue = "cpu",
                description = "cpu: a 2D scene drawn in Java; gpu: a lit 3D scene rendered with OpenGL "
                        + "(default ${DEFAULT-VALUE})")
        private String canvas;

        @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "INFO",
                description = "SEVERE, WARNING, INFO, FINE (default ${DEFAULT-VALUE})")
        private String logLevel;

        @Option(names = "--rtmps-port", paramLabel = "N", defaultValue = "1936",
                description = "RTMP inside TLS; 0 turns it off (default ${DEFAULT-VALUE})")
        private int rtmpsPort;

        @Option(names = "--tls-cert", paramLabel = "PEM",
                description = "the certificate chain in PEM for RTMPS, with --tls-key (default: a self-signed pair "
                        + "made at start, its fingerprint printed)")
        private String tlsCertificate;

        @Option(names = "--tls-key", paramLabel = "PEM", description = "its private key, PKCS#8 in PEM")
        private String tlsKey;

        @Option(names = "--https", description = "the HTTP port speaks TLS (HTTPS, WSS) with the same certificate: "
                + "a browser off this machine decodes with WebCodecs only on a secure page")
        private boolean https;

        @Option(names = "--token", paramLabel = "SECRET",
                description = "refuse clients that do not present it: rtmp://host/live?token=SECRET/demo, the viewer "
                        + "page's ?token=SECRET, or a connect argument {token: SECRET} (default: open to all)")
        private String token;

        @Option(names = "--push", paramLabel = "rtmp://HOST[:PORT]/APP/NAME",
                description = "publish the broadcast (live/broadcast) to an upstream RTMP server such as nginx-rtmp, "
                        + "connecting again with a backoff when it goes away")
        private String push;

        @Option(names = "--broadcast-write-delay", paramLabel = "MS", defaultValue = "100",
                description = "how long the broadcast holds frames to write them to each player together, 0 to 1000 "
                        + "ms: fewer writes, less CPU per player (default ${DEFAULT-VALUE})")
        private long broadcastWriteDelayMillis;

        @Option(names = "--drain-timeout", paramLabel = "SECONDS", defaultValue = "300",
                description = "on SIGTERM the server drains: new viewers are refused, players play on for at most "
                        + "this long, then are told and closed, and the process exits 0 (default ${DEFAULT-VALUE})")
        private long drainTimeoutSeconds;

        @Option(names = "--agent-port", paramLabel = "PORT", defaultValue = "0",
                description = "answer HAProxy's agent check on this port (up N%%, drain or down); 0 for none")
        private int agentPort;

        @Option(names = "--min-render-headroom", paramLabel = "PERCENT", defaultValue = "0",
                description = "refuse new streams (try again later) and say full to the balancer while less than this "
                        + "share of the render turns went unused; 0 for no such limit (default ${DEFAULT-VALUE})")
        private int minRenderHeadroom;

        @Option(names = "--control-token", paramLabel = "SECRET",
                description = "a viewer of live/broadcast that presents it (token=SECRET, as --token) may ask to "
                        + "steer it; without it anyone may ask, and the first to ask steers")
        private String controlToken;

        @Option(names = "--view-token", paramLabel = "SECRET",
                description = "what a client must present (or the control token) to connect and watch")
        private String viewToken;

        @Option(names = "--webrtc-port", paramLabel = "PORT", defaultValue = "8189",
                description = "the UDP port WebRTC players (WHEP, POST /whep/live/demo on the HTTP port) get their "
                        + "media on; 0 for none (default ${DEFAULT-VALUE})")
        private int webRtcPort;

        @Option(names = "--webrtc-host", paramLabel = "HOST",
                description = "where WebRTC players reach the UDP port, named in the WHEP answer's candidate: a "
                        + "node behind a load balancer (which carries HTTP, not UDP) or NAT gives its own public "
                        + "address; default: where the player reached the HTTP port")
        private String webRtcHost;

        @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help")
        private boolean help;

        /** The parsed values, checked together. */
        DemoOptions options() {
            String[] sides = size.toLowerCase().split("x");
            int width;
            int height;
            try {
                if (sides.length != 2) {
                    throw new NumberFormatException();
                }
                width = Integer.parseInt(sides[0]);
                height = Integer.parseInt(sides[1]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, such as 1280x720, got " + size);
            }
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new IllegalArgumentException("--size must be even and at least 16x16, got " + size);
            }
            if (!(fps > 0 && fps <= 240)) {
                throw new IllegalArgumentException("--fps must be in (0, 240], got " + fps);
            }
            if ((tlsCertificate == null) != (tlsKey == null)) {
                throw new IllegalArgumentException("--tls-cert and --tls-key go together");
            }
            if (!isPort(port) || !isPort(httpPort) || !isPort(rtmpsPort) || !isPort(webRtcPort)) {
                throw new IllegalArgumentException("--port, --http-port, --rtmps-port and --webrtc-port take 0 to "
                        + "65535, got " + port + ", " + httpPort + ", " + rtmpsPort + " and " + webRtcPort);
            }
            if (webRtcHost != null && (webRtcHost.isBlank() || webRtcHost.chars().anyMatch(Character::isWhitespace))) {
                throw new IllegalArgumentException("--webrtc-host takes an address or a host name, got '" + webRtcHost
                        + "'");
            }
            if (bitrate <= 0) {
                throw new IllegalArgumentException("--bitrate must be positive, got " + bitrate);
            }
            String codecName = codec.replace('-', ' ');
            if (!CODECS.contains(codecName)) {
                throw new IllegalArgumentException(
                        "--codec takes h264, hevc, av1, sorenson, \"screen video\" or none, got " + codec);
            }
            if (push != null && !push.matches("rtmp://[^/]+/.+/[^/]+")) {
                throw new IllegalArgumentException("--push takes rtmp://host[:port]/app/name, got " + push);
            }
            if (broadcastWriteDelayMillis < 0 || broadcastWriteDelayMillis > 1000) {
                throw new IllegalArgumentException("--broadcast-write-delay takes 0 to 1000 ms, got "
                        + broadcastWriteDelayMillis);
            }
            if (drainTimeoutSeconds < 0) {
                throw new IllegalArgumentException("--drain-timeout takes 0 or more seconds, got "
                        + drainTimeoutSeconds);
            }
            if (minRenderHeadroom < 0 || minRenderHeadroom > 99) {
                throw new IllegalArgumentException("--min-render-headroom takes 0 to 99 %, got " + minRenderHeadroom);
            }
            if (!canvas.equals("cpu") && !canvas.equals("gpu")) {
                throw new IllegalArgumentException("--canvas takes cpu or gpu, got " + canvas);
            }
            return new DemoOptions(host, port, httpPort == 0 ? -1 : httpPort, width, height, fps, bitrate, codecName,
                    encoder, canvas, logLevel.toUpperCase(), token, rtmpsPort == 0 ? -1 : rtmpsPort, tlsCertificate,
                    tlsKey, https, push, broadcastWriteDelayMillis, drainTimeoutSeconds, agentPort == 0 ? -1 : agentPort,
                    minRenderHeadroom, controlToken, viewToken, webRtcPort == 0 ? -1 : webRtcPort, webRtcHost);
        }

        private static boolean isPort(int port) {
            return port >= 0 && port <= 65535;
        }
    }
}
