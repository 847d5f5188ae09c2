package io.rendercast.benchmarks;

import io.rendercast.demo.DemoApplication;
import io.rendercast.demo.DemoOptions;
import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.RtmpServerOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * What connections and playing streams cost the server in OS threads and resident memory: one demo server in
 * this process, and {@link ManyClients} in another (one thread for all its sockets), first with many idle
 * connected clients, then with many players. Reads {@code /proc/self}: every OS thread counts, Netty's, the
 * JVM's and the encoders' native ones alike, grouped by name.
 *
 * <p>{@code ThreadsAndMemory IDLE PLAYERS WIDTHxHEIGHT}
 */
public final class ThreadsAndMemory {

    private ThreadsAndMemory() {
    }

    public static void main(String[] args) throws Exception {
        int idle = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int players = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        String[] size = (args.length > 2 ? args[2] : "320x180").split("x");
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler handler : java.util.logging.Logger.getLogger("").getHandlers()) {
            handler.setLevel(java.util.logging.Level.WARNING);
        }
        DemoOptions base = DemoOptions.defaults().on("127.0.0.1", 0, Integer.parseInt(size[0]), Integer.parseInt(size[1]));
        DemoOptions options = base.withRate(30, 500_000);
        RtmpServerOptions serverOptions = RtmpServerOptions.builder().maxConnections(idle + players + 10)
                .maxPlayingStreams(players + 10).build();
        try (RtmpServer server = RtmpServer.create(serverOptions)) {
            server.addConnectHandler(new DemoApplication(options));
            server.start(new InetSocketAddress("127.0.0.1", 0));
            int port = server.listenAddress().getPort();
            System.out.printf("server: demo at %sx%s, 30 fps, x264; %d cores; %s; MALLOC_ARENA_MAX=%s%n", size[0],
                    size[1], Runtime.getRuntime().availableProcessors(), Runtime.version(),
                    System.getenv().getOrDefault("MALLOC_ARENA_MAX", "unset"));
            report("started, no clients", 0);
            try (Clients clients = Clients.start(port, idle, "idle")) {
                TimeUnit.SECONDS.sleep(5);
                report(idle + " idle connected clients", idle);
            }
            TimeUnit.SECONDS.sleep(3);
            try (Clients clients = Clients.start(port, players, "play")) {
                TimeUnit.SECONDS.sleep(10);
                report(players + " playing streams", players);
            }
            TimeUnit.SECONDS.sleep(5);
            report("after the players left", 0);
        }
    }

    private static void report(String what, int clients) throws IOException {
        System.gc();
        Map<String, Integer> byName = new TreeMap<>();
        int threads = 0;
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                String name = Files.readString(task.resolve("comm")).trim().replaceAll("[-_ ]?\\d+.*$", "");
                byName.merge(name.isEmpty() ? "?" : name, 1, Integer::sum);
                threads++;
            }
        } catch (java.io.UncheckedIOException | java.nio.file.NoSuchFileException e) {
            // a thread ended while we looked
        }
        long rssKb = ProcFs.rssKib("self");
        Runtime runtime = Runtime.getRuntime();
        long heapMb = (runtime.totalMemory() - runtime.freeMemory()) >> 20;
        System.out.printf("%-28s OS threads %5d   RSS %6.1f MiB   heap used %5d MiB%n", what, threads, rssKb / 1024.0,
                heapMb);
        StringBuilder groups = new StringBuilder("    threads by name:");
        byName.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(10)
                .forEach(e -> groups.append(' ').append(e.getKey()).append('=').append(e.getValue()));
        System.out.println(groups);
    }

    /** {@link ManyClients} in a JVM of its own. */
    private record Clients(Process process) implements AutoCloseable {
        static Clients start(int port, int count, String mode) throws IOException {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process process = new ProcessBuilder(java, "-Xss256k", "-cp", System.getProperty("java.class.path"),
                    ManyClients.class.getName(), "127.0.0.1", Integer.toString(port), Integer.toString(count), mode,
                    "600").redirectError(ProcessBuilder.Redirect.INHERIT).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            if (line == null || !line.startsWith("ready")) {
                process.destroyForcibly();
                throw new IOException("the clients did not get ready: " + line);
            }
            return new Clients(process);
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
