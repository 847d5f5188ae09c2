package io.rendercast.browser;

import io.rendercast.demo.ExternalTool;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * An ffmpeg that plays and decodes a stream and reports its progress a few times a second, so that a test can
 * see when its frames stopped coming and for how long.
 */
final class FfmpegPlayer implements AutoCloseable {

    /** A progress report: when it came ({@link System#nanoTime()}) and how many frames were decoded by then. */
    private record Progress(long nanos, long frames) {
    }

    private final Process process;
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final StringBuilder errors = new StringBuilder();
    private volatile long streamMicros;

    private FfmpegPlayer(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("ffmpeg-progress").start(this::readProgress);
        Thread.ofPlatform().daemon().name("ffmpeg-errors").start(this::readErrors);
    }

    /** Plays and decodes {@code url} for {@code seconds} of the stream, or until closed when null. */
    static FfmpegPlayer play(String url, Integer seconds) {
        return start(url, seconds, false);
    }

    /**
     * Receives {@code url} until closed, without decoding it: many of them on one machine cost the server, not the
     * players. Its frames are the video packets it received.
     */
    static FfmpegPlayer receive(String url) {
        return start(url, null, true);
    }

    private static FfmpegPlayer start(String url, Integer seconds, boolean copy) {
        ExternalTool.FFMPEG.require();
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-v", "error",
                "-progress", "pipe:1", "-stats_period", "0.25", "-i", url));
        if (seconds != null) {
            command.addAll(List.of("-t", seconds.toString()));
        }
        if (copy) {
            command.addAll(List.of("-c", "copy"));
        }
        command.addAll(List.of("-f", "null", "-"));
        try {
            return new FfmpegPlayer(new ProcessBuilder(command).start());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void readProgress() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("frame=")) {
                    progress.add(new Progress(System.nanoTime(), Long.parseLong(line.substring(6).trim())));
                } else if (line.startsWith("out_time_us=") && !line.endsWith("N/A")) {
                    streamMicros = Long.parseLong(line.substring(12).trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            // ended
        }
    }

    private void readErrors() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (errors) {
                    errors.append(line).append('\n');
                }
            }
        } catch (IOException e) {
            // ended
        }
    }

    long frames() {
        return progress.isEmpty() ? 0 : progress.getLast().frames();
    }

    /** How far into the stream it has read, in seconds of the stream's own time. */
    double streamSeconds() {
        return streamMicros / 1e6;
    }

    /**
     * The longest time between {@code from} and {@code to} ({@link System#nanoTime()}) in which no new frame was
     * decoded, in milliseconds.
     */
    long longestGapMillis(long from, long to) {
        long last = from;
        long lastFrames = -1;
        long longest = 0;
        for (Progress report : progress) {
            if (report.nanos() < from) {
                lastFrames = report.frames();
                continue;
            }
            if (report.nanos() > to) {
                break;
            }
            if (report.frames() > lastFrames) {
                longest = Math.max(longest, report.nanos() - last);
                last = report.nanos();
                lastFrames = report.frames();
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(Math.max(longest, to - last));
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Its exit status once it has ended, waiting up to {@code timeout}; null if it is still running. */
    Integer exitCode(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : null;
    }

    /** What it printed at level error: empty when all it read decoded cleanly. */
    String errors() {
        synchronized (errors) {
            return errors.toString();
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
