package io.rendercast.browser;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ./rendercast bench cluster}: viewers join a cluster of demo nodes behind HAProxy at a steady rate until
 * the cluster refuses them, then one node drains. It reports how many own-stream viewers each node held at full
 * frame rate, where the refusals began, and how long the drain took; {@code target/cluster-bench.csv} has the
 * run second by second.
 *
 * <p>The nodes refuse new streams once their render turns are all but taken ({@code --min-render-headroom}); a
 * node that refuses tells HAProxy it is down through the agent check, and HAProxy, with no node up, refuses the
 * connection. Viewers are ffmpeg processes that receive without decoding, so that they cost the server and not
 * the machine's players. Settings, as system properties: {@code rendercast.cluster.nodes} (3),
 * {@code .size} (640x360), {@code .fps} (30), {@code .bitrate} (800000), {@code .rate} (viewers a second, 1),
 * {@code .headroom} (10 %), {@code .drain} (the drain deadline, 15 s).
 */
class ClusterBench {

    private static final int NODES = Integer.getInteger("rendercast.cluster.nodes", 3);
    private static final String SIZE = System.getProperty("rendercast.cluster.size", "640x360");
    private static final int FPS = Integer.getInteger("rendercast.cluster.fps", 30);
    private static final String BITRATE = System.getProperty("rendercast.cluster.bitrate", "800000");
    private static final double RATE = Double.parseDouble(System.getProperty("rendercast.cluster.rate", "1"));
    private static final String HEADROOM = System.getProperty("rendercast.cluster.headroom", "10");
    private static final int DRAIN_SECONDS = Integer.getInteger("rendercast.cluster.drain", 15);
    /** Full frame rate: what a player gets from a node that keeps up, allowing for the odd late frame. */
    private static final double FULL = 0.9;
    /** Viewers that must fail in a row before the cluster counts as refusing. */
    private static final int REFUSED_IN_A_ROW = 3;
    private static final int MOST_VIEWERS = 400;

    /** What a node's /metrics said at one moment. */
    private record NodeSample(long nanos, double framesSent, int playing) {
    }

    @Test
    void viewersJoinUntilTheClusterRefusesThenANodeDrains() throws Exception {
        Path csvPath = Path.of("target", "cluster-bench.csv");
        List<FfmpegPlayer> viewers = new ArrayList<>();
        List<Deque<NodeSample>> samples = new ArrayList<>();
        int[] heldAtFullRate = new int[NODES + 1];
        int[] mostPlaying = new int[NODES + 1];
        for (int i = 0; i <= NODES; i++) {
            samples.add(new ArrayDeque<>());
        }
        try (RendercastCluster cluster = new RendercastCluster(NODES, null, "--size=" + SIZE, "--fps=" + FPS,
                "--bitrate=" + BITRATE, "--min-render-headroom=" + HEADROOM, "--drain-timeout=" + DRAIN_SECONDS);
             PrintWriter csv = new PrintWriter(Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8))) {
            csv.println("# ./rendercast bench cluster: " + NODES + " nodes, " + SIZE + " at " + FPS + " fps, "
                    + BITRATE + " bit/s, --min-render-headroom=" + HEADROOM + ", " + RATE + " viewers/s; "
                    + Runtime.getRuntime().availableProcessors() + " cores");
            StringBuilder header = new StringBuilder("seconds,viewers,refused");
            for (int node = 1; node <= NODES; node++) {
                header.append(",node").append(node).append("_playing,node").append(node).append("_fps_per_stream");
            }
            csv.println(header);
            long start = System.nanoTime();
            long nextViewer = start;
            int refusedInARow = 0;
            int firstRefusal = -1;
            double firstRefusalSeconds = -1;
            List<FfmpegPlayer> pending = new ArrayList<>();
            while (refusedInARow < REFUSED_IN_A_ROW && viewers.size() < MOST_VIEWERS) {
                long now = System.nanoTime();
                if (now >= nextViewer) {
                    FfmpegPlayer viewer = FfmpegPlayer.receive(cluster.rtmp("live/demo"));
                    viewers.add(viewer);
                    pending.add(viewer);
                    nextViewer += (long) (1e9 / RATE);
                }
                // A viewer refused ends without a frame; one that got frames was let in.
                for (FfmpegPlayer viewer : List.copyOf(pending)) {
                    if (viewer.frames() > 0) {
                        pending.remove(viewer);
                        refusedInARow = 0;
                    } else if (!viewer.isAlive()) {
                        pending.remove(viewer);
                        refusedInARow++;
                        if (firstRefusal < 0) {
                            firstRefusal = viewers.indexOf(viewer) + 1;
                            firstRefusalSeconds = (now - start) / 1e9;
                        }
                    }
                }
                StringBuilder row = new StringBuilder(String.format("%.1f,%d,%d", (now - start) / 1e9,
                        viewers.size(), viewers.stream().filter(v -> !v.isAlive()).count()));
                for (int node = 1; node <= NODES; node++) {
                    Deque<NodeSample> history = samples.get(node);
                    NodeSample sample = sample(cluster, node, now);
                    history.addLast(sample);
                    while (history.size() > 1 && now - history.peekFirst().nanos() > TimeUnit.SECONDS.toNanos(2)) {
                        history.removeFirst();
                    }
                    NodeSample first = history.peekFirst();
                    double perStream = Double.NaN;
                    // The window's rate per stream, by the streams it had on average; held at full rate counts the
                    // fewest it had in the window.
                    double seconds = (sample.nanos() - first.nanos()) / 1e9;
                    if (sample.playing() > 0 && seconds >= 1.5) {
                        double streams = history.stream().mapToInt(NodeSample::playing).average().orElse(0);
                        int fewest = history.stream().mapToInt(NodeSample::playing).min().orElse(0);
                        perStream = (sample.framesSent() - first.framesSent()) / seconds / streams;
                        if (perStream >= FULL * FPS) {
                            heldAtFullRate[node] = Math.max(heldAtFullRate[node], fewest);
                        }
                    }
                    mostPlaying[node] = Math.max(mostPlaying[node], sample.playing());
                    row.append(',').append(sample.playing()).append(',')
                            .append(Double.isNaN(perStream) ? "" : String.format("%.1f", perStream));
                }
                csv.println(row);
                csv.flush();
                TimeUnit.MILLISECONDS.sleep(250);
            }
            int admitted = (int) viewers.stream().filter(v -> v.isAlive() || v.frames() > 0).count();
            System.out.printf("ClusterBench: %d nodes of %s at %d fps on %d cores, viewers joining at %.1f/s%n",
                    NODES, SIZE, FPS, Runtime.getRuntime().availableProcessors(), RATE);
            for (int node = 1; node <= NODES; node++) {
                System.out.printf("ClusterBench: node %d held %d own-stream viewers at full frame rate (>= %.0f%% of "
                        + "%d fps), %d at most%n", node, heldAtFullRate[node], FULL * 100, FPS, mostPlaying[node]);
            }
            System.out.printf("ClusterBench: refusals began at viewer %d, %.1f s in; %d viewers were let in and play%n",
                    firstRefusal, firstRefusalSeconds, admitted);

            // Drain node 1 with its viewers still there: they play to the deadline, are told, and it exits.
            int draining = samples.get(1).peekLast().playing();
            long drainStart = System.nanoTime();
            cluster.node(1).destroy();
            Integer exit = cluster.exitOf(1, Duration.ofSeconds(DRAIN_SECONDS + 60));
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            System.out.printf("ClusterBench: node 1 drained %d viewers in %.1f s (deadline %d s) and exited with %s%n",
                    draining, drainSeconds, DRAIN_SECONDS, exit);
            csv.printf("# held at full rate:%s; refusals began at viewer %d (%.1f s); node 1 drained %d viewers in "
                            + "%.1f s, exit %s%n", heldSummary(heldAtFullRate), firstRefusal, firstRefusalSeconds,
                    draining, drainSeconds, exit);
        } finally {
            viewers.forEach(FfmpegPlayer::close);
        }
        System.out.println("ClusterBench: figures in " + csvPath.toAbsolutePath());
    }

    private static String heldSummary(int[] held) {
        StringBuilder text = new StringBuilder();
        for (int node = 1; node < held.length; node++) {
            text.append(" node").append(node).append(' ').append(held[node]);
        }
        return text.toString();
    }

    private static NodeSample sample(RendercastCluster cluster, int node, long now) {
        String text = cluster.nodeMetrics(node);
        return text == null ? new NodeSample(now, 0, 0) // the node is gone
                : new NodeSample(now, RendercastCluster.metric(text, "rendercast_frames_sent_total"),
                        (int) RendercastCluster.metric(text, "rendercast_streams_playing"));
    }
}
