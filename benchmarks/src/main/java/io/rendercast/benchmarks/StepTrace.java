package io.rendercast.benchmarks;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ConnectionStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * What the server thought of one player's path around a step in its link, every {@value #EVERY_MILLIS} ms (the
 * encoder's bit rate, the estimated delivery rate and queue), beside what the player saw (the worst delay and the
 * frames decoded in each half second): how the rate came down and settled.
 */
final class StepTrace implements AutoCloseable {

    static final int EVERY_MILLIS = 100;
    /** How near the link's rate a settled estimate stays: the encoder keeps below the link, and so what it carries. */
    static final double SETTLED_WITHIN = 0.3;
    private static final double BIN_SECONDS = 0.5;

    private record Sample(double millis, long bitrate, long deliveryRate, double queueMillis) {
    }

    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private final Thread sampler;
    private final double offset = System.currentTimeMillis() - System.nanoTime() / 1e6;

    /** Samples the statistics of the connection {@code player} gives (null until it connects). */
    StepTrace(Supplier<Connection> player) {
        sampler = Thread.ofPlatform().daemon().name("step-trace").start(() -> {
            try {
                while (true) {
                    Connection c = player.get();
                    if (c != null) {
                        ConnectionStatistics s = c.statistics();
                        samples.add(new Sample(System.nanoTime() / 1e6 + offset, s.videoBitrate(),
                                s.link().deliveryRate(), s.link().queueDelay().toNanos() / 1e6));
                    }
                    Thread.sleep(EVERY_MILLIS);
                }
            } catch (InterruptedException e) {
                // done
            }
        });
    }

    /** Rows of {@code transport}'s trace, in half seconds from {@code stepMillis} (wall clock) on. */
    List<List<Object>> rows(String transport, double stepMillis, DecodeWatch player, List<DecodeWatch.Decoded> frames) {
        List<List<Object>> rows = new ArrayList<>();
        for (double from = -2; from < 2 * NetworkBenchmark.MEASURE_SECONDS; from += BIN_SECONDS) {
            double start = stepMillis + from * 1e3;
            double end = start + BIN_SECONDS * 1e3;
            double worst = 0;
            int decoded = 0;
            for (DecodeWatch.Decoded f : frames) {
                if (f.arrivalMillis() >= start && f.arrivalMillis() < end) {
                    decoded++;
                    worst = Math.max(worst, player.delaySeconds(f));
                }
            }
            Sample last = null;
            for (Sample s : samples) {
                if (s.millis() < end) {
                    last = s;
                }
            }
            if (last != null) {
                rows.add(List.of(transport, fmt(from), fmt(last.bitrate() / 1e6), fmt(last.deliveryRate() / 1e6),
                        String.format(Locale.ROOT, "%.0f", last.queueMillis()), fmt(worst),
                        fmt(decoded / BIN_SECONDS)));
            }
        }
        return rows;
    }

    /**
     * When the server's estimate settled after the step at {@code stepMillis} (wall clock) to a link of
     * {@code linkBitsPerSecond}: seconds from the step to the first sample from which on the estimated delivery rate
     * stayed within {@value #SETTLED_WITHIN} of the link's rate. NaN when it never did.
     */
    double estimateSettledSeconds(double stepMillis, double linkBitsPerSecond) {
        double settledAt = Double.NaN;
        for (Sample s : samples) {
            if (s.millis() < stepMillis) {
                continue;
            }
            boolean within = Math.abs(s.deliveryRate() - linkBitsPerSecond) <= SETTLED_WITHIN * linkBitsPerSecond;
            if (!within) {
                settledAt = Double.NaN;
            } else if (Double.isNaN(settledAt)) {
                settledAt = (s.millis() - stepMillis) / 1e3;
            }
        }
        return settledAt;
    }

    static List<String> header() {
        return List.of("player", "seconds_after_step", "encoder_mbit_s", "estimate_mbit_s", "queue_ms",
                "worst_delay_s", "fps");
    }

    private static String fmt(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    @Override
    public void close() throws InterruptedException {
        sampler.interrupt();
        sampler.join();
    }
}
