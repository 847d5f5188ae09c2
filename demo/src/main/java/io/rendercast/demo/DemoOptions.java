package io.rendercast.demo;

/**
 * The demo's settings.
 *
 * @param encoder {@code auto}, or an encoder provider's name ({@code x264}, ...)
 */
public record DemoOptions(String host, int port, int width, int height, double fps, long bitrate, String encoder,
                          String logLevel) {

    public static DemoOptions defaults() {
        return new DemoOptions("0.0.0.0", 1935, 1280, 720, 30, 2_500_000, "auto", "INFO");
    }

    static final String USAGE = """
            usage: rendercast demo [--host ADDRESS] [--port N] [--size WxH] [--fps N] [--bitrate BITS] [--encoder NAME]
                      [--log-level LEVEL]
              --host      address to listen on (default 0.0.0.0)
              --port      RTMP port (default 1935)
              --size      picture size (default 1280x720)
              --fps       frames per second (default 30)
              --bitrate   H.264 bit rate in bits per second (default 2500000)
              --encoder   auto, or an encoder provider's name such as x264 (default auto)
              --log-level SEVERE, WARNING, INFO, FINE (default INFO)
            then watch it:  ffplay rtmp://localhost:1935/live/demo""";

    /**
     * Parses command-line options.
     *
     * @throws IllegalArgumentException naming the option that is wrong and what it takes
     */
    public static DemoOptions parse(String... args) {
        DemoOptions options = defaults();
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("option " + name + " needs a value\n" + USAGE);
            }
            String value = args[++i];
            try {
                options = switch (name) {
                    case "--host" -> new DemoOptions(value, options.port, options.width, options.height, options.fps,
                            options.bitrate, options.encoder, options.logLevel);
                    case "--port" -> new DemoOptions(options.host, Integer.parseInt(value), options.width,
                            options.height, options.fps, options.bitrate, options.encoder, options.logLevel);
                    case "--size" -> {
                        String[] parts = value.toLowerCase().split("x");
                        if (parts.length != 2) {
                            throw new IllegalArgumentException("--size takes WIDTHxHEIGHT, such as 1280x720, got " + value);
                        }
                        yield new DemoOptions(options.host, options.port, Integer.parseInt(parts[0]),
                                Integer.parseInt(parts[1]), options.fps, options.bitrate, options.encoder, options.logLevel);
                    }
                    case "--fps" -> new DemoOptions(options.host, options.port, options.width, options.height,
                            Double.parseDouble(value), options.bitrate, options.encoder, options.logLevel);
                    case "--bitrate" -> new DemoOptions(options.host, options.port, options.width, options.height,
                            options.fps, Long.parseLong(value), options.encoder, options.logLevel);
                    case "--encoder" -> new DemoOptions(options.host, options.port, options.width, options.height,
                            options.fps, options.bitrate, value, options.logLevel);
                    case "--log-level" -> new DemoOptions(options.host, options.port, options.width, options.height,
                            options.fps, options.bitrate, options.encoder, value.toUpperCase());
                    default -> throw new IllegalArgumentException("unknown option " + name + "\n" + USAGE);
                };
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option " + name + " takes a number, got '" + value + "'");
            }
        }
        if (options.width < 16 || options.height < 16 || options.width % 2 != 0 || options.height % 2 != 0) {
            throw new IllegalArgumentException("--size must be even and at least 16x16, got "
                    + options.width + "x" + options.height);
        }
        if (!(options.fps > 0 && options.fps <= 240)) {
            throw new IllegalArgumentException("--fps must be in (0, 240], got " + options.fps);
        }
        if (options.port < 0 || options.port > 65535 || options.bitrate <= 0) {
            throw new IllegalArgumentException("--port must be 0 to 65535 and --bitrate positive");
        }
        return options;
    }
}
