package io.rendercast.benchmarks;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Input to photon for a player whose input went through an {@link InputRelay} ({@link Recolours}): for each input,
 * the first frame of the recording that shows its colour (at least {@value #LEAST_PIXELS} pixels of it at a quarter
 * of the size, as the viewer page's bench counts) where the frame before did not, and the time the player decoded
 * that frame live (its {@link DecodeWatch} arrival, found by its timestamp) less the time the input was sent. An input
 * whose colour no frame brought within {@value #WINDOW_MILLIS} ms is missed: one the next input overtook before any
 * frame was decoded, or one sent while the picture already showed its colour.
 */
final class InputToPhoton {

    static final long WINDOW_MILLIS = 3000;
    static final int LEAST_PIXELS = 10;

    /** The delays' median and 99th percentile (ms; NaN when no input was seen), of how many inputs, how many missed. */
    record Latency(double p50Millis, double p99Millis, int inputs, int missed) {
    }

    private InputToPhoton() {
    }

    /** Decodes {@code recording} ({@link RecordedPictures#colours}) and times {@code inputs} against {@code decoded}. */
    static Latency measure(String ffmpeg, Path recording, List<Recolours.Input> inputs,
                           List<DecodeWatch.Decoded> decoded, int width, int height)
            throws IOException, InterruptedException {
        return of(inputs, RecordedPictures.colours(ffmpeg, recording, Recolours.COLOURS, width, height), decoded);
    }

    /**
     * Times {@code inputs} (in the order sent) on the recording's frames ({@code shown}, counted in
     * {@link Recolours#COLOURS}). Each frame where a colour appears answers the last input of that colour sent before
     * the frame was decoded. Two colours alternate, so that holds while an input shows before the next input of its
     * colour is sent, 800 ms at least; an input slower than that is taken for the later one, and counted missed.
     */
    static Latency of(List<Recolours.Input> inputs, List<RecordedPictures.Shown> shown,
                      List<DecodeWatch.Decoded> decoded) {
        double[] arrivals = arrivals(shown, decoded);
        double[] photons = new double[inputs.size()];
        Arrays.fill(photons, Double.NaN);
        int before = -1; // the last frame the live decode had, whose colours a frame's are compared with
        for (int i = 0; i < shown.size(); i++) {
            if (Double.isNaN(arrivals[i])) {
                continue;
            }
            for (int colour = 0; colour < Recolours.COLOURS.size(); colour++) {
                boolean appears = shows(shown.get(i), colour) && (before < 0 || !shows(shown.get(before), colour));
                int input = appears ? lastSentBefore(inputs, Recolours.COLOURS.get(colour), arrivals[i]) : -1;
                if (input >= 0 && Double.isNaN(photons[input])
                        && arrivals[i] <= inputs.get(input).sentMillis() + WINDOW_MILLIS) {
                    photons[input] = arrivals[i];
                }
            }
            before = i;
        }
        List<Double> delays = new ArrayList<>();
        for (int input = 0; input < photons.length; input++) {
            if (!Double.isNaN(photons[input])) {
                delays.add(photons[input] - inputs.get(input).sentMillis());
            }
        }
        int missed = inputs.size() - delays.size();
        if (delays.isEmpty()) {
            return new Latency(Double.NaN, Double.NaN, inputs.size(), missed);
        }
        delays.sort(null);
        return new Latency(delays.get(delays.size() / 2), delays.get((int) (delays.size() * 0.99)), inputs.size(),
                missed);
    }

    private static boolean shows(RecordedPictures.Shown frame, int colour) {
        return frame.pixels()[colour] >= LEAST_PIXELS;
    }

    /** The index of the last input of {@code colour} sent before {@code millis}, or -1. */
    private static int lastSentBefore(List<Recolours.Input> inputs, String colour, double millis) {
        int last = -1;
        for (int i = 0; i < inputs.size() && inputs.get(i).sentMillis() < millis; i++) {
            if (inputs.get(i).colour().equals(colour)) {
                last = i;
            }
        }
        return last;
    }

    /**
     * When the player decoded each frame of the recording live, by the frames' timestamps (both in whole ms, as RTMP
     * and FLV carry them); NaN for a frame not found, which no input is then timed on.
     */
    private static double[] arrivals(List<RecordedPictures.Shown> shown, List<DecodeWatch.Decoded> decoded) {
        TreeMap<Long, Double> byTimestamp = new TreeMap<>();
        for (DecodeWatch.Decoded frame : decoded) {
            byTimestamp.putIfAbsent(Math.round(frame.ptsSeconds() * 1000), frame.arrivalMillis());
        }
        double[] arrivals = new double[shown.size()];
        int found = 0;
        for (int i = 0; i < arrivals.length; i++) {
            long millis = Math.round(shown.get(i).ptsSeconds() * 1000);
            Map.Entry<Long, Double> match = byTimestamp.floorEntry(millis + 1);
            boolean near = !Double.isNaN(shown.get(i).ptsSeconds()) && match != null && match.getKey() >= millis - 1;
            arrivals[i] = near ? match.getValue() : Double.NaN;
            found += near ? 1 : 0;
        }
        if (found < arrivals.length * 9 / 10) {
            System.out.println("input to photon: only " + found + " of the recording's " + arrivals.length
                    + " frames have a timestamp the live decode had; the inputs are timed on those");
        }
        return arrivals;
    }
}
