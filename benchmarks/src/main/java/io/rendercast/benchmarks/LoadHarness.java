package io.rendercast.benchmarks;

import io.rendercast.demo.DemoApplication;
import io.rendercast.demo.DemoOptions;
import io.rendercast.rtmp.RtmpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A load harness: one demo server in this process, and N real players (ffmpeg, decoding to nothing) that each
 * play their own stream for a while. Prints each player's frame rate, so that one can see how many players a
 * machine serves at full rate and that a slow one does not slow the others.
 *
 * <p>{@code LoadHarness PLAYERS SECONDS WIDTHxHEIGHT FPS}; every stream is rendered and encoded on its own
 * threads, so the server's work grows with the players.
 */
public final class LoadHarness {

    private static final Pattern FRAMES = Pattern.compile("frame=\\s*(\\d+)");

    private LoadHarness() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        int players = args.length > 0 ? Integer.parseInt(args[0]) : 4;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String[] size = (args.length > 2 ? args[2] : "640x360").split("x");
        double fps = args.length > 3 ? Double.parseDouble(args[3]) : 30;
        DemoOptions options = DemoOptions.defaults().on("127.0.0.1", 0, Integer.parseInt(size[0]),
                Integer.parseInt(size[1]));
        options = options.withRate(fps, 1_000_000);
        // The server logs each player at INFO; the table is what this prints.
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        try (RtmpServer server = RtmpServer.create()) {
            server.addConnectHandler(new DemoApplication(options));
            server.start(new InetSocketAddress("127.0.0.1", 0));
            int port = server.listenAddress().getPort();
            List<Process> processes = new ArrayList<>();
            for (int i = 0; i < players; i++) {
                processes.add(new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "info",
                        "-i", "rtmp://127.0.0.1:" + port + "/live/player" + i, "-t", Integer.toString(seconds),
                        "-f", "null", "-").redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            System.out.printf("%d players, %d s each, %sx%s at %.0f fps, x264 veryfast 1 Mbit/s, %d cores%n",
                    players, seconds, size[0], size[1], fps, Runtime.getRuntime().availableProcessors());
            double slowest = Double.MAX_VALUE;
            double sum = 0;
            for (int i = 0; i < players; i++) {
                Process process = processes.get(i);
                String log = read(process.getErrorStream());
                if (!process.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                Matcher matcher = FRAMES.matcher(log);
                int frames = 0;
                while (matcher.find()) {
                    frames = Integer.parseInt(matcher.group(1));
                }
                double rate = frames / (double) seconds;
                slowest = Math.min(slowest, rate);
                sum += rate;
                System.out.printf("  player %d: %d frames decoded in %d s of stream = %.1f fps%n", i, frames, seconds,
                        rate);
            }
            System.out.printf("mean %.1f fps, slowest %.1f fps, target %.0f fps%n", sum / players, slowest, fps);
        }
    }

    private static String read(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
}
