package io.rendercast.benchmarks;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A node's resident memory as players come and go: one demo node started as an operator starts it (the command
 * after {@code --}, with the launcher's memory settings), then rounds of own-stream players and broadcast players
 * joining, playing and leaving, for as long as asked. After each round the node idles, and its idle resident
 * memory is what an operator sizes nodes by: it should come back near where it started, not climb with every
 * round.
 *
 * <p>{@code NodeSoak MINUTES CSV RTMP_PORT -- NODE COMMAND...}
 */
public final class NodeSoak {

    private static final int OWN_STREAM_PLAYERS = 3;
    private static final int BROADCAST_PLAYERS = 20;
    private static final Duration PLAY = Duration.ofSeconds(40);
    /** Past G1's periodic collection interval (the launcher's -XX:G1PeriodicGCInterval), so a collection runs. */
    private static final Duration IDLE = Duration.ofSeconds(25);
    private static final long BOUND_MIB = 100;

    private NodeSoak() {
    }

    public static void main(String[] args) throws Exception {
        int separator = Arrays.asList(args).indexOf("--");
        if (separator != 3 || args.length < 5) {
            System.err.println("usage: NodeSoak MINUTES CSV RTMP_PORT -- NODE COMMAND...");
            System.exit(2);
        }
        Duration soak = Duration.ofMinutes(Long.parseLong(args[0]));
        Path csv = Path.of(args[1]);
        int port = Integer.parseInt(args[2]);
        List<String> command = List.of(Arrays.copyOfRange(args, 4, args.length));
        Path log = csv.resolveSibling("soak-node.log");
        Process node = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(csv, StandardCharsets.UTF_8))) {
            out.println("# " + String.join(" ", command));
            out.println("seconds,round,phase,rss_mib,threads");
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            waitForPort(address, node);
            String pid = Long.toString(node.pid());
            long started = System.nanoTime();
            TimeUnit.SECONDS.sleep(IDLE.toSeconds());
            long firstIdle = sample(out, pid, started, 0, "idle");
            long highestIdle = firstIdle;
            long lastIdle = firstIdle;
            int round = 0;
            while (System.nanoTime() - started < soak.toNanos()) {
                round++;
                try (PlayerCrowd crowd = new PlayerCrowd(1)) {
                    crowd.play(address, "live", "demo", OWN_STREAM_PLAYERS);
                    crowd.play(address, "live", "broadcast", BROADCAST_PLAYERS);
                    TimeUnit.SECONDS.sleep(PLAY.toSeconds());
                    sample(out, pid, started, round, "playing");
                    long playing = crowd.counts().stream().filter(c -> c.open() && c.videoMessages() > 0).count();
                    if (playing < OWN_STREAM_PLAYERS + BROADCAST_PLAYERS) {
                        System.out.printf("round %d: only %d of %d players received video%n", round, playing,
                                OWN_STREAM_PLAYERS + BROADCAST_PLAYERS);
                    }
                }
                TimeUnit.SECONDS.sleep(IDLE.toSeconds());
                lastIdle = sample(out, pid, started, round, "idle");
                highestIdle = Math.max(highestIdle, lastIdle);
                if (!node.isAlive()) {
                    throw new IllegalStateException("the node exited (" + node.exitValue() + "); see " + log);
                }
            }
            System.out.printf("soak: %d rounds in %.1f min of %d own-stream and %d broadcast players (%d s playing, "
                            + "%d s idle)%n", round, (System.nanoTime() - started) / 60e9, OWN_STREAM_PLAYERS,
                    BROADCAST_PLAYERS, PLAY.toSeconds(), IDLE.toSeconds());
            System.out.printf("idle resident memory: first %d MiB, highest %d MiB, last %d MiB: %s (bound: within %d "
                    + "MiB of the first)%n", firstIdle, highestIdle, lastIdle,
                    highestIdle - firstIdle <= BOUND_MIB ? "held" : "NOT held", BOUND_MIB);
        } finally {
            node.destroy();
            node.waitFor(10, TimeUnit.SECONDS);
            node.destroyForcibly();
        }
        System.out.println("figures: " + csv);
    }

    private static long sample(PrintWriter out, String pid, long started, int round, String phase) throws IOException {
        long rssMib = ProcFs.rssKib(pid) / 1024;
        long threads = ProcFs.threads(pid);
        long seconds = (System.nanoTime() - started) / 1_000_000_000L;
        out.printf("%d,%d,%s,%d,%d%n", seconds, round, phase, rssMib, threads);
        out.flush();
        System.out.printf("%5d s  round %3d  %-7s  %4d MiB  %3d threads%n", seconds, round, phase, rssMib, threads);
        return rssMib;
    }

    private static void waitForPort(InetSocketAddress address, Process node) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!node.isAlive()) {
                throw new IllegalStateException("the node exited (" + node.exitValue() + ") before it listened");
            }
            try (Socket socket = new Socket()) {
                socket.connect(address, 1000);
                return;
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        throw new IllegalStateException("the node did not listen on " + address + " within 60 s");
    }
}
