package io.rendercast.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * ffmpeg playing a live stream, watched frame by frame as it decodes ({@code showinfo} prints each frame's timestamp
 * and type): for tests that measure a player's frame rate, key frames and delay while it plays.
 */
final class LivePlayer implements AutoCloseable {

    private static final Pattern SHOWINFO = Pattern.compile("pts_time:\\s*([0-9.]+).*?iskey:\\s*([01])");

    /** A frame as ffmpeg decoded it: when ({@link System#nanoTime()}), its timestamp, and whether it is a key frame. */
    record Decoded(long nanos, double ptsSeconds, boolean key) {
    }

    private final Process process;
    private final List<Decoded> decoded = new CopyOnWriteArrayList<>();
    private final List<String> said = new CopyOnWriteArrayList<>();

    private LivePlayer(String url) {
        process = ExternalTool.FFMPEG.stream((nanos, line) -> {
            Matcher m = SHOWINFO.matcher(line);
            if (m.find()) {
                decoded.add(new Decoded(nanos, Double.parseDouble(m.group(1)), m.group(2).equals("1")));
            } else if (!line.contains("showinfo") && said.size() < 200) {
                said.add(line);
            }
        }, "-hide_banner", "-nostdin", "-loglevel", "info", "-fflags", "nobuffer", "-flags", "low_delay", "-i", url,
                "-vf", "showinfo", "-f", "null", "-");
    }

    static LivePlayer play(String url) {
        return new LivePlayer(url);
    }

    /** Frames decoded so far. */
    int count() {
        return decoded.size();
    }

    /** What ffmpeg said besides the frames, for a failure's message. */
    String log() {
        return String.join("\n", said);
    }

    /**
     * The figures of the frames decoded since {@code from} (a {@link #count()}): frames a second, key frames, and
     * the delay each frame added to the least any frame had since play began (the path's own delay and ffmpeg's):
     * the part that queues make.
     */
    Figures since(int from) {
        List<Decoded> all = new ArrayList<>(decoded);
        List<Decoded> measured = all.subList(from, all.size());
        double least = Double.MAX_VALUE;
        long origin = all.getFirst().nanos();
        for (Decoded d : all) {
            least = Math.min(least, (d.nanos() - origin) / 1e9 - d.ptsSeconds());
        }
        List<Double> extra = new ArrayList<>();
        int keys = 0;
        for (Decoded d : measured) {
            extra.add((d.nanos() - origin) / 1e9 - d.ptsSeconds() - least);
            keys += d.key() ? 1 : 0;
        }
        extra.sort(null);
        double seconds = (measured.getLast().nanos() - measured.getFirst().nanos()) / 1e9;
        return new Figures((measured.size() - 1) / seconds, keys, extra.get(extra.size() / 2), extra.getLast());
    }

    record Figures(double fps, int keyFrames, double medianExtraDelaySeconds, double maxExtraDelaySeconds) {
        @Override
        public String toString() {
            return String.format("%.1f fps, %d key frames, extra delay median %.2f s, peak %.2f s", fps, keyFrames,
                    medianExtraDelaySeconds, maxExtraDelaySeconds);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
