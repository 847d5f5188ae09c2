package io.rendercast.benchmarks;

import io.rendercast.demo.DemoApplication;
import io.rendercast.demo.DemoOptions;
import io.rendercast.linkemulator.LinkConditions;
import io.rendercast.linkemulator.LinkEmulator;
import io.rendercast.linkemulator.PacketLink;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.RtmpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.bytedeco.javacpp.Loader;

/**
 * The demo's own stream (1280x720, 30 fps, 2.5 Mbit/s asked) played by ffmpeg over RTMP and over HTTP-FLV through
 * an emulated link, one condition of a grid at a time: round trips of 20, 80 and 200 ms by no cap, 3 and
 * 1.5 Mbit/s (behind a 64 KB router queue) by 0, 1 and 5 % of packets lost each way, and a step from 6 down to
 * 1.5 Mbit/s at 80 ms. Each run plays {@value #SETTLE_SECONDS} s to let the bit rate find the link, then measures
 * {@value #MEASURE_SECONDS} s: frames a second, freezes (gaps over 200 ms between decoded frames), the delay from
 * render to decode (p50, p99), key frames, and what the link carried; for the step, how long after it the delay
 * was back under 0.3 s for good ({@code settle_s}), and how long until the server's estimate of the path stayed
 * near the new link's rate, with the encoder under it ({@code estimate_settle_s}, {@link StepTrace}).
 *
 * <p>The link is a {@link PacketLink} where the machine allows one (root, TUN devices, network namespaces): the
 * server listens in the link's namespace, every packet to and from ffmpeg passes through the emulator, and the
 * server's TCP sees the path.
 * Elsewhere it falls back to the TCP relay ({@link LinkEmulator}), which cannot lose a packet: the loss cells are
 * left out, and the server sees only the loopback hop to the relay. The CSV names the method.
 *
 * <p>And the pictures: ffmpeg also keeps the stream as it arrived, and every tenth frame after the first
 * {@value #SETTLE_SECONDS} s is decoded again and compared with the frame the demo rendered ({@link RecordedPictures}):
 * PSNR, median and lowest.
 *
 * <p>Input to photon, for the RTMP player: ffmpeg sends no input, so it plays through an {@link InputRelay} that
 * slips the demo's {@code setColor} call in between ffmpeg's own messages every 400 to 700 ms of the measured
 * seconds ({@link Recolours}), and each input's photon is the first frame that shows its colour, at the time ffmpeg
 * decoded it ({@link InputToPhoton}): p50, p99 and the inputs no frame showed within 3 s. The HTTP-FLV player has none:
 * HTTP-FLV is one response from the server, with no way back for input.
 * Not measured here: the browser page (its own bench, {@code bench network-page}).
 * {@code NetworkBenchmark [cells]}, with cells a {@code ;}-separated subset of the names printed; writes
 * {@code network.csv} and {@code network.png} in {@code benchmarks/target}.
 */
public final class NetworkBenchmark {

    static final int SETTLE_SECONDS = 8;
    /**
     * The demo's codec ({@code -Drendercast.network.codec=hevc} or {@code av1}; H.264 unless set). ffmpeg asks for
     * it over RTMP (Enhanced RTMP); an HTTP-FLV player names no codecs, so the demo sends it H.264.
     */
    private static final String CODEC = System.getProperty("rendercast.network.codec", "h264");
    private static final int WIDTH = 1280;
    private static final int HEIGHT = 720;
    /** The player the server took last: the one a cell plays, since cells play one at a time. */
    private static volatile Connection latestPlayer;
    static final int MEASURE_SECONDS = 12;
    private static final double FREEZE_SECONDS = 0.2;
    private static final double SETTLED_DELAY = 0.3;

    /** One condition of the grid; {@code stepTo} is the link after {@link #SETTLE_SECONDS}, or null. */
    record Cell(String name, LinkConditions link, LinkConditions stepTo) {
    }

    /** What one player saw in one cell; {@code inputToPhoton} is null for a player that sent no input. */
    record Run(String cell, String transport, double fps, int freezes, double p50, double p99, int keyFrames,
               double megabits, double settleSeconds, double estimateSettleSeconds, RecordedPictures.Quality quality,
               InputToPhoton.Latency inputToPhoton) {

        Run with(RecordedPictures.Quality measured, InputToPhoton.Latency latency) {
            return new Run(cell, transport, fps, freezes, p50, p99, keyFrames, megabits, settleSeconds,
                    estimateSettleSeconds, measured, latency);
        }

        Run withEstimateSettled(double seconds) {
            return new Run(cell, transport, fps, freezes, p50, p99, keyFrames, megabits, settleSeconds, seconds,
                    quality, inputToPhoton);
        }
    }

    private NetworkBenchmark() {
    }

    static List<Cell> grid() {
        List<Cell> cells = new ArrayList<>();
        for (int loss : new int[] {0, 1, 5}) {
            for (int rtt : new int[] {20, 80, 200}) {
                for (double cap : new double[] {0, 3, 1.5}) {
                    String name = (cap == 0 ? "no cap" : String.format(Locale.ROOT, "%s Mbit/s", cap == Math.rint(cap)
                            ? Integer.toString((int) cap) : Double.toString(cap))) + ", " + rtt + " ms"
                            + (loss == 0 ? "" : ", " + loss + " % loss");
                    cells.add(new Cell(name, LinkConditions.of(cap, rtt).withLossPercent(loss), null));
                }
            }
        }
        cells.add(new Cell("6 to 1.5 Mbit/s, 80 ms", LinkConditions.of(6, 80), LinkConditions.of(1.5, 80)));
        return cells;
    }

    public static void main(String[] args) throws Exception {
        String ffmpeg = Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
        List<Cell> cells = grid();
        if (args.length > 0) {
            List<String> wanted = List.of(args[0].split(";"));
            cells.removeIf(c -> !wanted.contains(c.name()));
        }
        java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
        PacketLink packetLink = null;
        try {
            packetLink = PacketLink.open(LinkConditions.of(0, 20));
        } catch (IOException | LinkageError e) {
            System.out.println("no packet link here (" + e.getMessage() + "): the TCP relay instead, without the "
                    + "loss cells");
            cells.removeIf(c -> c.link().lossRatio() > 0);
        }
        // The server's TCP behind the link: the machine's own congestion control unless asked
        // (-Drendercast.network.congestion=cubic), and named in the CSV. It shapes what players see: BBR (this
        // build machine's default) rides out random loss, but stops a stream for a few hundred ms to measure the
        // round trip afresh when ten seconds passed without a sample at its least; CUBIC has no such pause, and
        // with 5 % loss its window collapses.
        String method = packetLink != null ? "packet link, server TCP " + packetLink.congestionControl(
                System.getProperty("rendercast.network.congestion")) : "TCP relay";
        String host = packetLink != null ? packetLink.serverAddress().getHostAddress() : "127.0.0.1";
        DemoOptions options = DemoOptions.defaults().on(host, 0, WIDTH, HEIGHT).withRate(30, 2_500_000)
                .withCodec(CODEC);
        List<Run> runs = new ArrayList<>();
        List<List<Object>> stepRows = new ArrayList<>();
        try (RtmpServer server = RtmpServer.create()) {
            DemoApplication demo = new DemoApplication(options);
            server.addConnectHandler((isCreate, connection, command, arguments) -> {
                boolean claimed = demo.handle(isCreate, connection, command, arguments);
                if (isCreate && claimed) {
                    latestPlayer = connection;
                }
                return claimed;
            });
            Callable<Void> listen = () -> {
                server.start(new InetSocketAddress(host, 0));
                server.startHttp(new InetSocketAddress(host, 0));
                return null;
            };
            if (packetLink != null) {
                // Netty makes its machine id from a hardware address once, on its first channel: made here, where
                // there is one, so that it does not warn of finding none in the namespace (only TUN devices there)
                io.netty.channel.DefaultChannelId.newInstance();
                packetLink.inServerNamespace(listen); // behind the link: players reach it only through it
            } else {
                listen.call();
            }
            // Once, not counted: the JIT compiles the server's path and the first player pays for it.
            play(ffmpeg, server, packetLink, new Cell("warm-up", LinkConditions.of(0, 20), null), "RTMP",
                    new ArrayList<>());
            System.out.printf(Locale.ROOT, "%-34s %-9s %6s %7s %6s %6s %5s %8s %9s %11s %18s%n",
                    "link (" + method + (CODEC.equals("h264") ? "" : ", " + CODEC + " over RTMP") + ")", "player", "fps", "freezes", "p50 s", "p99 s", "keys", "Mbit/s", "settle",
                    "PSNR dB", "input ms p50/p99");
            for (Cell cell : cells) {
                for (String transport : List.of("RTMP", "HTTP-FLV")) {
                    Run run = play(ffmpeg, server, packetLink, cell, transport, stepRows);
                    runs.add(run);
                    InputToPhoton.Latency input = run.inputToPhoton();
                    System.out.printf(Locale.ROOT, "%-34s %-9s %6.1f %7d %6.2f %6.2f %5d %8.2f %9s %5.1f/%5.1f %18s%n",
                            run.cell(), run.transport(), run.fps(), run.freezes(), run.p50(), run.p99(),
                            run.keyFrames(), run.megabits(), Double.isNaN(run.settleSeconds()) ? ""
                                    : String.format(Locale.ROOT, "%.1f/%.1f s", run.settleSeconds(),
                                            run.estimateSettleSeconds()),
                            run.quality().medianDb(), run.quality().lowestDb(), input == null ? ""
                                    : String.format(Locale.ROOT, "%.0f/%.0f (%d/%d missed)", input.p50Millis(),
                                            input.p99Millis(), input.missed(), input.inputs()));
                }
            }
        } finally {
            if (packetLink != null) {
                packetLink.close();
            }
        }
        String command = "./rendercast bench network" + (args.length > 0 ? " '" + args[0] + "'" : "")
                + (System.getProperty("rendercast.network.congestion") == null ? ""
                        : " -Drendercast.network.congestion=" + System.getProperty("rendercast.network.congestion"));
        Path dir = Path.of("benchmarks", "target");
        List<List<Object>> rows = new ArrayList<>();
        for (Run r : runs) {
            // Input to photon is the RTMP player's only: an HTTP-FLV player has no way to send input, its cells empty.
            InputToPhoton.Latency input = r.inputToPhoton();
            rows.add(List.of(r.cell(), method, r.transport(), fmt(r.fps()), r.freezes(), fmt(r.p50()),
                    fmt(r.p99()), r.keyFrames(), fmt(r.megabits()),
                    Double.isNaN(r.settleSeconds()) ? "" : fmt(r.settleSeconds()),
                    Double.isNaN(r.estimateSettleSeconds()) ? "" : fmt(r.estimateSettleSeconds()),
                    fmt(r.quality().medianDb()),
                    fmt(r.quality().lowestDb()), input == null ? "" : String.format(Locale.ROOT, "%.0f",
                            input.p50Millis()), input == null ? "" : String.format(Locale.ROOT, "%.0f",
                            input.p99Millis()), input == null ? "" : input.inputs(),
                    input == null ? "" : input.missed()));
        }
        CsvFiles.write(dir.resolve("network.csv"), command, List.of("link", "emulation", "player", "fps", "freezes",
                "delay_p50_s", "delay_p99_s", "key_frames", "delivered_mbit_s", "settle_s", "estimate_settle_s",
                "psnr_median_db",
                "psnr_lowest_db", "input_to_photon_p50_ms", "input_to_photon_p99_ms", "inputs", "inputs_missed"),
                rows);
        NetworkChart.write(dir.resolve("network.png"), runs, command);
        System.out.println("figures: benchmarks/target/network.csv, benchmarks/target/network.png");
        if (!stepRows.isEmpty()) {
            CsvFiles.write(dir.resolve("network-step.csv"), command + ": around the step from 6 to 1.5 Mbit/s",
                    StepTrace.header(), stepRows);
            System.out.println("the step, every half second: benchmarks/target/network-step.csv");
        }
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static Run play(String ffmpeg, RtmpServer server, PacketLink packetLink, Cell cell, String transport,
                            List<List<Object>> stepRows) throws Exception {
        InetSocketAddress target = transport.equals("RTMP") ? server.listenAddress() : server.httpAddress();
        if (packetLink != null) {
            packetLink.change(cell.link());
            return play(ffmpeg, target, cell, transport, packetLink::change, packetLink::bytesToPlayers, stepRows);
        }
        try (LinkEmulator link = LinkEmulator.start(target, cell.link())) {
            return play(ffmpeg, link.address(), cell, transport, link::change, link::bytesToClients, stepRows);
        }
    }

    /**
     * ffmpeg plays from {@code address}, through the link; {@code change} steps the link. Over RTMP it plays through
     * an {@link InputRelay} in front of {@code address}, whose recolours are its input.
     */
    private static Run play(String ffmpeg, InetSocketAddress address, Cell cell, String transport, Consumer<LinkConditions> change, LongSupplier bytesDelivered,
                            List<List<Object>> stepRows) throws Exception {
        String stream = "net" + System.nanoTime();
        latestPlayer = null;
        Path recording = Files.createTempFile("rendercast-network-", ".flv");
        try {
            if (!transport.equals("RTMP")) { // HTTP-FLV: no way back for input, so no relay
                return playAndRecord(ffmpeg, "http://" + hostPort(address) + "/live/" + stream + ".flv", null, cell,
                        transport, change, bytesDelivered, stepRows, recording);
            }
            try (InputRelay relay = InputRelay.start(address)) {
                return playAndRecord(ffmpeg, "rtmp://" + hostPort(relay.address()) + "/live/" + stream, relay, cell,
                        transport, change, bytesDelivered, stepRows, recording);
            }
        } finally {
            Files.deleteIfExists(recording);
        }
    }

    private static String hostPort(InetSocketAddress address) {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    /** Plays, measures and reads the recording back; {@code relay} is null for a player that sends no input. */
    private static Run playAndRecord(String ffmpeg, String url, InputRelay relay, Cell cell, String transport,
                                     Consumer<LinkConditions> change, LongSupplier bytesDelivered,
                                     List<List<Object>> stepRows, Path recording) throws Exception {
        Run run;
        List<Recolours.Input> inputs = List.of();
        List<DecodeWatch.Decoded> decoded;
        List<String> asks = !url.startsWith("rtmp:") || CODEC.equals("h264") ? List.of()
                : List.of("-rtmp_enhanced_codecs", CODEC.equals("hevc") ? "hvc1" : "av01");
        try (DecodeWatch player = DecodeWatch.play(ffmpeg, url, recording, asks);
             StepTrace trace = new StepTrace(() -> latestPlayer)) {
            Thread.sleep(Duration.ofSeconds(SETTLE_SECONDS));
            double stepMillis = System.currentTimeMillis();
            if (cell.stepTo() != null) {
                change.accept(cell.stepTo());
            }
            int from = player.count();
            long bytes = bytesDelivered.getAsLong();
            double seconds = cell.stepTo() != null ? 2 * MEASURE_SECONDS : MEASURE_SECONDS;
            long end = System.nanoTime() + (long) (seconds * 1e9);
            if (relay != null) {
                // Inputs from the first frame the player decoded (ffmpeg probes the stream first, which took up to
                // about 8.5 s here), to the window before the end, so that the last one's frames are still recorded.
                while (player.count() == 0 && System.nanoTime() < end) {
                    Thread.sleep(10);
                }
                inputs = Recolours.send(relay,
                        (end - System.nanoTime()) / 1_000_000 - InputToPhoton.WINDOW_MILLIS);
            }
            Thread.sleep(Duration.ofNanos(Math.max(0, end - System.nanoTime())));
            if (cell.stepTo() != null) {
                stepRows.addAll(trace.rows(transport, stepMillis, player, player.since(0)));
            }
            decoded = player.since(0);
            run = measure(cell, transport, player, player.since(from),
                    (bytesDelivered.getAsLong() - bytes) * 8 / seconds / 1e6);
            if (cell.stepTo() != null) {
                run = run.withEstimateSettled(
                        trace.estimateSettledSeconds(stepMillis, cell.stepTo().downBitsPerSecond()));
            }
        }
        // The recolours change the discs: the PSNR compares each picture with the scene in the colour it is closest to.
        List<String> colours = relay == null ? List.of() : Recolours.COLOURS;
        return run.with(RecordedPictures.psnr(ffmpeg, recording, SETTLE_SECONDS, WIDTH, HEIGHT, colours),
                relay == null ? null : InputToPhoton.measure(ffmpeg, recording, inputs, decoded, WIDTH, HEIGHT));
    }

    private static Run measure(Cell cell, String transport, DecodeWatch player, List<DecodeWatch.Decoded> frames,
                               double megabits) {
        if (frames.size() < 2) {
            return new Run(cell.name(), transport, 0, 0, Double.NaN, Double.NaN, 0, megabits, Double.NaN, Double.NaN,
                    null, null);
        }
        List<Double> delays = new ArrayList<>();
        int freezes = 0;
        int keys = 0;
        double settledAt = Double.NaN;
        double start = frames.getFirst().arrivalMillis();
        for (int i = 0; i < frames.size(); i++) {
            DecodeWatch.Decoded f = frames.get(i);
            double delay = player.delaySeconds(f);
            delays.add(delay);
            keys += f.key() ? 1 : 0;
            if (i > 0 && (f.arrivalMillis() - frames.get(i - 1).arrivalMillis()) / 1e3 > FREEZE_SECONDS) {
                freezes++;
            }
            // Settled: the first frame from which on no delay went over the bound.
            if (delay > SETTLED_DELAY) {
                settledAt = Double.NaN;
            } else if (Double.isNaN(settledAt)) {
                settledAt = (f.arrivalMillis() - start) / 1e3;
            }
        }
        double seconds = (frames.getLast().arrivalMillis() - start) / 1e3;
        delays.sort(null);
        return new Run(cell.name(), transport, (frames.size() - 1) / seconds, freezes,
                delays.get(delays.size() / 2), delays.get((int) (delays.size() * 0.99)), keys, megabits,
                cell.stepTo() == null ? Double.NaN : settledAt, Double.NaN, null, null);
    }
}
