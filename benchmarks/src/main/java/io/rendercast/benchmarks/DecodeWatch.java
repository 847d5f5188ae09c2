package io.rendercast.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ffmpeg playing a stream, watched frame by frame as it decodes: its {@code showinfo} filter prints each frame's
 * timestamp and type, and the {@code onMetaData} dump the wall-clock time of the stream's timestamp 0
 * ({@code rendercastClockEpochMillis}), so that a frame's delay from its render to its decode is the time its
 * line came less the time it was rendered. Same machine, same clock.
 */
final class DecodeWatch implements AutoCloseable {

    private static final Pattern SHOWINFO = Pattern.compile("pts_time:\\s*([0-9.]+).*?iskey:\\s*([01])");
    private static final Pattern EPOCH = Pattern.compile("rendercastClockEpochMillis\\s*:\\s*([0-9.e+]+)");

    /** A decoded frame: when its line came (wall clock, ms), its timestamp (s), and whether it is a key frame. */
    record Decoded(double arrivalMillis, double ptsSeconds, boolean key) {
    }

    private final Process process;
    private final List<Decoded> decoded = new CopyOnWriteArrayList<>();
    private volatile double epochMillis = Double.NaN;

    private DecodeWatch(String ffmpeg, String url, Path recording, List<String> inputOptions) throws IOException {
        List<String> command = new ArrayList<>(List.of(ffmpeg, "-hide_banner", "-nostdin", "-loglevel", "info",
                "-fflags", "nobuffer", "-flags", "low_delay"));
        command.addAll(inputOptions);
        command.addAll(List.of("-i", url, "-map", "0:v", "-vf", "showinfo", "-f", "null", "-"));
        if (recording != null) {
            command.addAll(List.of("-map", "0:v", "-c", "copy", "-f", "flv", "-y", recording.toString()));
        }
        process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread.ofPlatform().daemon().name("ffmpeg-watch").start(this::read);
    }

    /** Starts {@code ffmpeg} on {@code url}. */
    static DecodeWatch play(String ffmpeg, String url) throws IOException {
        return new DecodeWatch(ffmpeg, url, null, List.of());
    }

    /** As above, also keeping the stream as received (not decoded again) in {@code recording}, an FLV file. */
    static DecodeWatch play(String ffmpeg, String url, Path recording) throws IOException {
        return new DecodeWatch(ffmpeg, url, recording, List.of());
    }

    /** As above, with options for ffmpeg's input, such as {@code -rtmp_enhanced_codecs hvc1}. */
    static DecodeWatch play(String ffmpeg, String url, Path recording, List<String> inputOptions) throws IOException {
        return new DecodeWatch(ffmpeg, url, recording, inputOptions);
    }

    private void read() {
        // nanoTime for the order, currentTimeMillis once for the offset: the epoch is wall-clock time.
        double offset = System.currentTimeMillis() - System.nanoTime() / 1e6;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                double now = System.nanoTime() / 1e6 + offset;
                Matcher m = SHOWINFO.matcher(line);
                if (m.find()) {
                    decoded.add(new Decoded(now, Double.parseDouble(m.group(1)), m.group(2).equals("1")));
                } else if ((m = EPOCH.matcher(line)).find()) {
                    epochMillis = Double.parseDouble(m.group(1));
                }
            }
        } catch (IOException e) {
            // ffmpeg ended
        }
    }

    /** The frames decoded so far. */
    int count() {
        return decoded.size();
    }

    /** The frames decoded since {@code from} (a {@link #count()}). */
    List<Decoded> since(int from) {
        // a snapshot first: a sublist of the live list fails when the reader thread appends meanwhile
        List<Decoded> now = List.copyOf(decoded);
        return new ArrayList<>(now.subList(from, now.size()));
    }

    /** A frame's delay from its render to its decode, in seconds; NaN until the stream's metadata came. */
    double delaySeconds(Decoded frame) {
        return (frame.arrivalMillis() - epochMillis) / 1e3 - frame.ptsSeconds();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
