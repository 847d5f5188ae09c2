package io.rendercast.benchmarks;

import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How soon each software encoder holds a bit rate set while it encodes (what rate adaptation asks of it): the
 * demo's frames at 640x360, 30 fps, 2.5 Mbit/s, then 150 kbit/s, 600 kbit/s and 2.5 Mbit/s again, four seconds
 * each; the bits of each third of a second, and the first third from which on every third stays within 25 % of the
 * rate asked (or, where the content needs less, under it). Key frames after the first are counted: a live change
 * must not force one. An encoder that cannot change its bit rate while it encodes says so, and is left there.
 *
 * <p>{@code BitrateChange [codec:encoder ...]}, by default {@code h264:x264 hevc:x265 av1:svt-av1}.
 */
public final class BitrateChange {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final long[] RATES = {2_500_000, 150_000, 600_000, 2_500_000};
    private static final int THIRDS = 12;

    private BitrateChange() {
    }

    public static void main(String[] args) throws Exception {
        List<String> encoders = args.length > 0 ? List.of(args) : List.of("h264:x264", "hevc:x265", "av1:svt-av1");
        RgbaCanvas[] canvases = DemoFrames.render(WIDTH, HEIGHT, 30);
        for (String choice : encoders) {
            String[] parts = choice.split(":");
            VideoEncoder encoder = VideoEncoders.select(parts[0], parts[1], VideoEncoders.providers()).create();
            encoder.setParameter(VideoEncoder.BITRATE, Long.toString(RATES[0]));
            encoder.setParameter(VideoEncoder.FRAMERATE, "30");
            encoder.init(WIDTH, HEIGHT);
            int frame = 0;
            int keyFrames = 0;
            for (long rate : RATES) {
                try {
                    encoder.setParameter(VideoEncoder.BITRATE, Long.toString(rate));
                } catch (VideoEncoderException e) {
                    System.out.printf(Locale.ROOT, "%-10s refuses a new bit rate while it encodes: %s%n", parts[1],
                            e.getMessage());
                    break;
                }
                List<Long> kbits = new ArrayList<>();
                for (int third = 0; third < THIRDS; third++) {
                    long bytes = 0;
                    for (int i = 0; i < 10; i++) {
                        var data = encoder.encode(canvases[frame % canvases.length]);
                        bytes += data.size();
                        keyFrames += data.keyFrame() && frame > 0 ? 1 : 0;
                        frame++;
                    }
                    kbits.add(bytes * 8 * 3 / 1000);
                }
                System.out.printf(Locale.ROOT, "%-10s %5d kbit/s: holds after %s; kbit/s by third of a second %s%n",
                        parts[1], rate / 1000, holdsAfter(kbits, rate / 1000), kbits);
            }
            if (frame > 0) {
                System.out.printf(Locale.ROOT, "%-10s key frames after the first: %d (GOP: every 60 frames, %d)%n",
                        parts[1], keyFrames, frame / 60 - 1);
            }
            encoder.close();
        }
    }

    private static String holdsAfter(List<Long> kbits, long target) {
        for (int from = 0; from < kbits.size(); from++) {
            boolean holds = true;
            for (int i = from; i < kbits.size(); i++) {
                holds &= kbits.get(i) <= target * 1.25 && (kbits.get(i) >= target * 0.75 || target > 1000);
            }
            if (holds) {
                return String.format(Locale.ROOT, "%.2f s", from / 3.0);
            }
        }
        return "never within 4 s";
    }
}
