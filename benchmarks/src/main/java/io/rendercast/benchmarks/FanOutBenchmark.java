package io.rendercast.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Fan-out side by side: Rendercast's broadcast and nginx-rtmp (fed the same bit rate by ffmpeg) each play one
 * stream to many players of a {@link PlayerCrowd} in this process, in the same run. For each server and load it
 * reports players alive, Mbit/s delivered, the players' frame rates, the server's resident memory, and its
 * CPU-seconds per GB sent beyond what the same server spends with one player (so Rendercast's own render and
 * encode, and nginx's own intake, are not counted). Each server runs as a process of its own, measured from
 * /proc.
 *
 * <p>{@code FanOutBenchmark OUT_DIR [SECONDS [SERVERS [LOADS]]]}: writes {@code fanout.csv} and {@code fanout.png}
 * there; SERVERS is {@code rendercast,rendercast-at-once,rendercast-nio,nginx-rtmp} (Rendercast on epoll with
 * its broadcast's default write delay of 100 ms, the same writing each frame at once, on NIO, and nginx-rtmp)
 * and LOADS the loads to run, by their players ({@code 50,500,2000}, all by default).
 */
public final class FanOutBenchmark {

    /** A load: players, picture size and bit rate. */
    record Load(int players, int width, int height, long bitsPerSecond) {
        String describe() {
            return players + " players, " + width + "x" + height + " at " + bitsPerSecond / 1_000_000 + " Mbit/s";
        }
    }

    /** What one server did under one load, and with one player. */
    record Result(String server, Load load, int alive, double mbps, double minFps, double medianFps,
                  long regressions, double cpuSeconds, double gigabytes, long rssKib, double oneCpuSeconds,
                  double oneGigabytes, double networkCpuSeconds) {
        double marginalCpuPerGb() {
            return (cpuSeconds - oneCpuSeconds) / Math.max(1e-9, gigabytes - oneGigabytes);
        }

        /** The network threads' CPU per GB, for Rendercast; NaN for nginx, which has no threads apart. */
        double networkCpuPerGb() {
            return server.startsWith("rendercast") ? networkCpuSeconds / Math.max(1e-9, gigabytes) : Double.NaN;
        }
    }

    private static final List<Load> LOADS = List.of(
            new Load(50, 1280, 720, 4_000_000),
            new Load(500, 1280, 720, 4_000_000),
            new Load(2000, 640, 360, 1_000_000));

    private FanOutBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args.length > 0 ? args[0] : "benchmarks/target");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Files.createDirectories(out);
        List<Result> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "fan-out, %d s per measurement, %d cores, the crowd on one thread%n", seconds,
                Runtime.getRuntime().availableProcessors());
        List<String> servers = args.length > 2 ? List.of(args[2].split(","))
                : List.of("rendercast", "rendercast-at-once", "rendercast-nio", "nginx-rtmp");
        List<Load> loads = args.length > 3 ? LOADS.stream()
                .filter(l -> List.of(args[3].split(",")).contains(Integer.toString(l.players()))).toList() : LOADS;
        for (Load load : loads) {
            for (String server : servers) {
                Result result = run(server, load, seconds);
                results.add(result);
                System.out.printf(Locale.ROOT, "%-14s %-36s alive %4d/%-4d %7.1f Mbit/s  fps min %4.1f median %4.1f"
                                + "  RSS %5d MiB  CPU %5.1f s for %5.2f GB  marginal %5.2f CPU-s/GB  network threads"
                                + " %5.2f CPU-s/GB%n",
                        server, load.describe(), result.alive(), load.players(), result.mbps(), result.minFps(),
                        result.medianFps(), result.rssKib() / 1024, result.cpuSeconds(), result.gigabytes(),
                        result.marginalCpuPerGb(), result.networkCpuPerGb());
            }
        }
        writeCsv(out.resolve("fanout.csv"), results);
        FanOutChart.write(out.resolve("fanout.png"), results, FanOutChart.caption());
        if (!servers.contains("rendercast") || !servers.contains("nginx-rtmp")) {
            return;
        }
        for (Load load : loads) {
            Result theirs = find(results, "nginx-rtmp", load);
            for (String server : servers) {
                if (server.startsWith("rendercast")) {
                    Result ours = find(results, server, load);
                    System.out.printf(Locale.ROOT, "%s: %s's marginal CPU per GB is %.2f of nginx-rtmp's, its network"
                                    + " threads' %.2f%n", load.describe(), server,
                            ours.marginalCpuPerGb() / theirs.marginalCpuPerGb(),
                            ours.networkCpuPerGb() / theirs.marginalCpuPerGb());
                }
            }
        }
        System.out.println("written: " + out.resolve("fanout.csv") + ", " + out.resolve("fanout.png"));
        System.out.println("repeat:  ./rendercast bench fanout [SECONDS]");
    }

    private static Result find(List<Result> results, String server, Load load) {
        return results.stream().filter(r -> r.server().equals(server) && r.load().equals(load)).findFirst()
                .orElseThrow();
    }

    private static Result run(String server, Load load, int seconds) throws Exception {
        int port = freePort();
        boolean ours = server.startsWith("rendercast");
        List<Process> processes = ours ? startRendercast(port, load, server.endsWith("-nio") ? "nio" : "auto",
                server.endsWith("-at-once")) : startNginx(port, load);
        try {
            Process measured = processes.getFirst();
            waitForPort(port);
            String stream = ours ? "broadcast" : "fanout";
            TimeUnit.SECONDS.sleep(2);
            Measurement one;
            try (PlayerCrowd crowd = new PlayerCrowd(1)) {
                crowd.play(new InetSocketAddress("127.0.0.1", port), "live", stream, 1);
                one = measure(measured, crowd, seconds);
            }
            // The crowd's threads are gone: the players all left; a moment for the server to see it.
            TimeUnit.SECONDS.sleep(2);
            try (PlayerCrowd crowd = new PlayerCrowd(1)) {
                crowd.play(new InetSocketAddress("127.0.0.1", port), "live", stream, load.players());
                Measurement many = measure(measured, crowd, seconds);
                return new Result(server, load, many.alive, many.gigabytes * 8000 / seconds, many.minFps,
                        many.medianFps, many.regressions, many.cpuSeconds, many.gigabytes, rssKib(measured),
                        one.cpuSeconds, one.gigabytes, many.networkCpuSeconds);
            }
        } finally {
            for (Process process : processes) {
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            }
        }
    }

    private record Measurement(int alive, double minFps, double medianFps, long regressions, double cpuSeconds,
                               double networkCpuSeconds, double gigabytes) {
    }

    /**
     * Waits for the players to settle, and the server's JIT compiler to finish with the paths they exercise (a
     * one-off cost that nginx, compiled ahead, does not have), then counts over {@code seconds}.
     */
    private static Measurement measure(Process server, PlayerCrowd crowd, int seconds) throws Exception {
        TimeUnit.SECONDS.sleep(10);
        List<PlayerCrowd.Counts> before = crowd.counts();
        double cpuBefore = cpuSeconds(server);
        double networkBefore = networkCpuSeconds(server);
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        List<PlayerCrowd.Counts> after = crowd.counts();
        double cpu = cpuSeconds(server) - cpuBefore;
        double network = networkCpuSeconds(server) - networkBefore;
        double elapsed = (System.nanoTime() - start) / 1e9;
        long bytes = 0;
        long regressions = 0;
        int alive = 0;
        double[] fps = new double[after.size()];
        for (int i = 0; i < after.size(); i++) {
            PlayerCrowd.Counts a = after.get(i);
            PlayerCrowd.Counts b = before.get(i);
            bytes += a.bytes() - b.bytes();
            regressions += a.timestampRegressions();
            fps[i] = (a.videoMessages() - b.videoMessages()) / elapsed;
            if (a.open() && a.videoMessages() > b.videoMessages()) {
                alive++;
            }
        }
        if (alive < after.size()) {
            long closed = after.stream().filter(c -> !c.open()).count();
            long silent = after.stream().filter(c -> c.open() && c.videoMessages() == 0).count();
            System.out.printf(Locale.ROOT, "  not playing: %d closed by the server, %d open that never got video, "
                    + "%d stopped getting video%n", closed, silent, after.size() - alive - closed - silent);
        }
        java.util.Arrays.sort(fps);
        return new Measurement(alive, fps.length == 0 ? 0 : fps[0], fps.length == 0 ? 0 : fps[fps.length / 2],
                regressions, cpu, network, bytes / 1e9 * seconds / elapsed);
    }

    /**
     * @param transport {@code auto} (epoll on Linux) or {@code nio}
     * @param atOnce    the broadcast writes each frame at once, not with the server's default write delay
     */
    private static List<Process> startRendercast(int port, Load load, String transport, boolean atOnce)
            throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String jar = FanOutBenchmark.class.getProtectionDomain().getCodeSource().getLocation().getPath();
        List<String> command = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx1g",
                "-Drendercast.transport=" + transport));
        String recording = System.getProperty("fanout.jfr"); // a folder: the server is profiled into it
        if (recording != null) {
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + recording + "/" + transport + "-"
                    + load.players() + ".jfr");
        }
        command.addAll(List.of("-cp", jar,
                "io.rendercast.demo.DemoMain", "--host", "127.0.0.1", "--port", Integer.toString(port),
                "--http-port", "0", "--rtmps-port", "0", "--size", load.width() + "x" + load.height(),
                "--bitrate", Long.toString(load.bitsPerSecond()), "--log-level", "WARNING"));
        if (atOnce) {
            command.addAll(List.of("--broadcast-write-delay", "0"));
        }
        Process server = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return List.of(server);
    }

    private static List<Process> startNginx(int port, Load load) throws Exception {
        Path directory = Files.createTempDirectory("fanout-nginx");
        Files.writeString(directory.resolve("nginx.conf"), """
                load_module /usr/lib/nginx/modules/ngx_rtmp_module.so;
                daemon off;
                master_process off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 8192; }
                rtmp {
                    server {
                        listen 127.0.0.1:%2$d;
                        chunk_size 4096;
                        application live { live on; record off; }
                    }
                }
                """.formatted(directory, port));
        // One worker process, as Rendercast's demo is one process: the same machine for both.
        Process nginx = new ProcessBuilder("/usr/sbin/nginx", "-p", directory.toString(), "-e",
                directory.resolve("error.log").toString(), "-c", directory.resolve("nginx.conf").toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        waitForPort(port);
        long bits = load.bitsPerSecond();
        Process feed = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-re", "-f", "lavfi",
                "-i", "testsrc2=size=" + load.width() + "x" + load.height() + ":rate=30", "-c:v", "libx264",
                "-preset", "veryfast", "-pix_fmt", "yuv420p", "-b:v", Long.toString(bits), "-maxrate",
                Long.toString(bits), "-bufsize", Long.toString(bits), "-g", "60", "-f", "flv",
                "rtmp://127.0.0.1:" + port + "/live/fanout")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return List.of(nginx, feed);
    }

    /** User and system CPU time of a process, from /proc/PID/stat, in seconds. */
    static double cpuSeconds(Process process) throws IOException {
        return ProcFs.cpuSeconds(Path.of("/proc", Long.toString(process.pid()), "stat"));
    }

    /**
     * CPU time of a process's network threads alone (Rendercast's {@code rtmp-io} event loops; none for nginx,
     * whose one process does everything): what sending costs, without rendering, encoding or the collector.
     */
    static double networkCpuSeconds(Process process) throws IOException {
        double total = 0;
        try (var tasks = Files.list(Path.of("/proc", Long.toString(process.pid()), "task"))) {
            for (Path task : tasks.toList()) {
                try {
                    if (Files.readString(task.resolve("comm")).startsWith("rtmp-io")) {
                        total += ProcFs.cpuSeconds(task.resolve("stat"));
                    }
                } catch (IOException e) {
                    // the thread ended meanwhile
                }
            }
        }
        return total;
    }

    static long rssKib(Process process) throws IOException {
        return ProcFs.rssKib(Long.toString(process.pid()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void waitForPort(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("nothing listens on " + port + " after 60 s");
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
    }

    /** The columns of {@code fanout.csv}, a record a server and load; {@link FanOutChart} reads them back. */
    static final List<String> COLUMNS = List.of("server", "players", "width", "height", "bits_per_second", "alive",
            "mbit_per_s", "min_fps", "median_fps", "timestamp_regressions", "cpu_seconds", "gigabytes", "rss_kib",
            "one_player_cpu_seconds", "one_player_gigabytes", "marginal_cpu_seconds_per_gb",
            "network_thread_cpu_seconds_per_gb");

    static void writeCsv(Path file, List<Result> results) throws IOException {
        List<List<Object>> rows = new ArrayList<>();
        for (Result r : results) {
            rows.add(List.of(r.server(), r.load().players(), r.load().width(), r.load().height(),
                    r.load().bitsPerSecond(), r.alive(), format("%.1f", r.mbps()), format("%.1f", r.minFps()),
                    format("%.1f", r.medianFps()), r.regressions(), format("%.2f", r.cpuSeconds()),
                    format("%.3f", r.gigabytes()), r.rssKib(), format("%.2f", r.oneCpuSeconds()),
                    format("%.4f", r.oneGigabytes()), format("%.3f", r.marginalCpuPerGb()),
                    format("%.3f", r.networkCpuPerGb())));
        }
        CsvFiles.write(file, null, COLUMNS, rows);
    }

    private static String format(String format, double value) {
        return String.format(Locale.ROOT, format, value);
    }
}
