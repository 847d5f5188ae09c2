package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/**
 * {@code ./rendercast cluster N}, as an operator runs it: N demo nodes and Debian's HAProxy in front, configured
 * from {@code deploy/haproxy.cfg}, here on free ports of the test's own and on what the build has just made. What
 * the script prints says each node's pid and how each one ended; HAProxy's statistics say where the sessions are.
 */
final class RendercastCluster implements AutoCloseable {

    private static final Pattern STARTED = Pattern.compile("^rendercast: node (\\d+) \\(pid (\\d+)\\)");
    private static final Pattern EXITED = Pattern.compile("^rendercast: node (\\d+) \\(pid \\d+\\) exited with (\\d+)");

    /** One server line of HAProxy's statistics. */
    record ServerStats(String status, int weight, int sessions, long totalSessions) {
    }

    final int rtmpPort;
    final int httpPort;
    private final int statsPort;
    private final int nodeHttpBase;
    private final int nodeWebRtcBase;
    private final Process script;
    private final Path directory;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> pids = new HashMap<>();
    private final Map<Integer, Integer> exits = new HashMap<>();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * Starts {@code nodes} nodes with the demo's {@code options}; {@code push}, when not null, is where node 1
     * pushes its broadcast. Returns once HAProxy sees every node up on both its RTMP and HTTP sides.
     */
    RendercastCluster(int nodes, String push, String... options) throws IOException {
        String why = "needs Debian's haproxy (./rendercast test installs it)";
        boolean found = new File("/usr/sbin/haproxy").canExecute();
        if ("true".equals(System.getenv("CI")) && !found) {
            fail(why);
        }
        assumeTrue(found, why);
        Path root = Path.of("").toAbsolutePath().getParent();
        directory = Path.of("target", "cluster").toAbsolutePath();
        Files.createDirectories(directory);
        int[] front = freePorts(3, 1);
        int[] bases = freePorts(4, nodes); // node i listens on base + i, i from 1; the last, WebRTC's UDP
        rtmpPort = front[0];
        httpPort = front[1];
        statsPort = front[2];
        nodeHttpBase = bases[1];
        nodeWebRtcBase = bases[3];
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("rendercast").toString(), "cluster",
                Integer.toString(nodes)));
        command.addAll(List.of(options));
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        environment.put("RENDERCAST_NO_BUILD", "1");
        environment.put("RENDERCAST_CLUSTER_DIR", directory.toString());
        environment.put("RENDERCAST_CLUSTER_FRONT", rtmpPort + " " + httpPort + " " + statsPort);
        environment.put("RENDERCAST_CLUSTER_NODES", bases[0] + " " + bases[1] + " " + bases[2] + " " + bases[3]);
        if (push != null) {
            environment.put("RENDERCAST_CLUSTER_PUSH", push);
        }
        script = builder.start();
        Thread.ofPlatform().daemon().name("cluster-output").start(this::readOutput);
        try {
            awaitUp(nodes);
        } catch (RuntimeException | Error e) {
            try {
                close(); // no one else will: the caller never gets this cluster
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    private void awaitUp(int nodes) {
        Awaitility.await("HAProxy sees every node up").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                .failFast("the cluster script ended: " + output, () -> !script.isAlive())
                .until(() -> {
                    Map<String, ServerStats> rtmp = stats("rtmp_nodes");
                    Map<String, ServerStats> http = stats("http_nodes");
                    return rtmp.size() == nodes && http.size() == nodes
                            && rtmp.values().stream().allMatch(s -> s.status().equals("UP"))
                            && http.values().stream().allMatch(s -> s.status().equals("UP"));
                });
    }

    /** Free ports {@code base + 1 .. base + count} for each of {@code kinds} bases, far apart. */
    private static int[] freePorts(int kinds, int count) throws IOException {
        int[] bases = new int[kinds];
        for (int k = 0; k < kinds; k++) {
            search:
            for (int attempt = 0; ; attempt++) {
                int base;
                try (ServerSocket probe = new ServerSocket(0)) {
                    base = probe.getLocalPort() - 1;
                }
                for (int i = 1; i <= count; i++) {
                    try (ServerSocket taken = new ServerSocket(base + i);
                         java.net.DatagramSocket udp = new java.net.DatagramSocket(base + i)) {
                        taken.setReuseAddress(true);
                    } catch (IOException inUse) {
                        if (attempt > 50) {
                            throw inUse;
                        }
                        continue search;
                    }
                }
                for (int other = 0; other < k; other++) {
                    if (Math.abs(bases[other] - base) <= count) {
                        continue search;
                    }
                }
                bases[k] = base;
                break;
            }
        }
        return bases;
    }

    private void readOutput() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(script.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                Matcher started = STARTED.matcher(line);
                Matcher exited = EXITED.matcher(line);
                synchronized (this) {
                    if (exited.find()) {
                        exits.put(Integer.parseInt(exited.group(1)), Integer.parseInt(exited.group(2)));
                        notifyAll();
                    } else if (started.find()) {
                        pids.put(Integer.parseInt(started.group(1)), Long.parseLong(started.group(2)));
                    }
                }
            }
        } catch (IOException e) {
            // the script ended
        }
    }

    /** Node {@code node}'s process, as the script started it. */
    synchronized ProcessHandle node(int node) {
        return ProcessHandle.of(pids.get(node)).orElseThrow(() -> new AssertionError("node " + node + " is gone"));
    }

    /** The exit status the script saw node {@code node} end with, waiting up to {@code timeout}; null if none. */
    synchronized Integer exitOf(int node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!exits.containsKey(node) && System.nanoTime() < deadline) {
            TimeUnit.NANOSECONDS.timedWait(this, deadline - System.nanoTime());
        }
        return exits.get(node);
    }

    /** HAProxy's view of backend {@code backend}'s servers, by name (node1, node2, ...), from its statistics' CSV. */
    Map<String, ServerStats> stats(String backend) {
        String csv;
        try {
            csv = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statsPort
                    + "/stats;csv")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        String[] lines = csv.split("\n");
        List<String> header = List.of(lines[0].replaceFirst("^# ", "").split(",", -1));
        Map<String, ServerStats> servers = new HashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] fields = lines[i].split(",", -1);
            if (fields.length < header.size() || !fields[0].equals(backend) || !fields[1].startsWith("node")) {
                continue;
            }
            servers.put(fields[1], new ServerStats(fields[header.indexOf("status")],
                    Integer.parseInt(fields[header.indexOf("weight")]),
                    Integer.parseInt(fields[header.indexOf("scur")]),
                    Long.parseLong(fields[header.indexOf("stot")])));
        }
        return servers;
    }

    /** Node {@code node}'s own HTTP port: its /metrics and /health, past HAProxy. */
    int nodeHttpPort(int node) {
        return nodeHttpBase + node;
    }

    /** Node {@code node}'s WebRTC port (UDP), where its WHEP players' media comes from. */
    int nodeWebRtcPort(int node) {
        return nodeWebRtcBase + node;
    }

    /** {@code path} on HAProxy's HTTP frontend. */
    String http(String path) {
        return "http://127.0.0.1:" + httpPort + path;
    }

    /** A figure of node {@code node}'s /metrics, read past HAProxy; -1 where the node does not answer. */
    double nodeMetric(int node, String name) {
        String text = nodeMetrics(node);
        return text == null ? -1 : metric(text, name);
    }

    /** Node {@code node}'s /metrics, read past HAProxy; null where the node does not answer. */
    String nodeMetrics(int node) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodeHttpPort(node) + "/metrics"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A figure of Prometheus' text format, 0 where it is not there. */
    static double metric(String metrics, String name) {
        for (String line : metrics.split("\n")) {
            if (line.startsWith(name + " ")) {
                return Double.parseDouble(line.substring(name.length() + 1).trim());
            }
        }
        return 0;
    }

    String rtmp(String stream) {
        return "rtmp://127.0.0.1:" + rtmpPort + "/" + stream;
    }

    String page(String stream) {
        return "http://127.0.0.1:" + httpPort + "/?stream=" + stream;
    }

    /** What the script printed, and the tail of each node's log: for a failure's message. */
    String describe() {
        StringBuilder text = new StringBuilder("cluster script:\n").append(String.join("\n", output));
        try (var logs = Files.list(directory)) {
            for (Path log : logs.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                text.append("\n").append(log.getFileName()).append(":\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
            }
        } catch (IOException e) {
            text.append("\n(logs unreadable: ").append(e).append(')');
        }
        return text.toString();
    }

    /**
     * Ends the script as Ctrl-C does, with SIGTERM (which it traps alike): a process started in the background
     * may have SIGINT ignored, and then it would not reach the script.
     */
    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> started = script.toHandle().descendants().toList();
        script.destroy();
        if (!script.waitFor(30, TimeUnit.SECONDS)) {
            script.destroyForcibly();
        }
        started.forEach(ProcessHandle::destroyForcibly); // any the script could not end
    }
}
