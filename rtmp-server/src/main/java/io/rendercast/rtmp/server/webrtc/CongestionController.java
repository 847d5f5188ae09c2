package io.rendercast.rtmp.server.webrtc;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.List;

/**
 * Google Congestion Control for one WebRTC viewer, as libwebrtc and Pion run it on the sender's side: the
 * receiver's transport-wide feedback says when each packet arrived, {@link InterArrival} and
 * {@link TrendlineDetector} read from it whether the path's queues grow, {@link AimdRateControl} turns that into a
 * rate, and {@link LossBasedRate} caps it where the path loses much. The rate is what that viewer's encoder is set
 * to; it starts at, and never goes above, the bit rate the application gave the encoder.
 *
 * <p>Thread-safe: feedback comes on the UDP port's thread, the rate is read on the stream's frame thread.
 */
final class CongestionController {

    /** The least rate it sets: below it no picture is worth watching. */
    static final long LEAST_BITS_PER_SECOND = 100_000;
    /**
     * The span over which what the viewer received is measured, on its clock: short, because an overuse cuts the
     * rate to a share of it, and right after the path's rate drops a longer span still holds the old rate (at 500 ms,
     * the first cut after a step from 6 to 1.5 Mbit/s went to 1.53 Mbit/s, and the router's queue overflowed).
     */
    private static final long RECEIVED_SPAN_MICROS = 250_000;
    private static final long LEAST_SPAN_MICROS = 100_000;
    /** The least time the path must have been busy for what it carried to be read as its rate. */
    private static final long SHORTEST_BUSY_MICROS = 30_000;
    /** Frames held back are remembered this long, and no more of them than this: 2 s of frames at 120 a second. */
    private static final long HELD_BACK_KEPT_MICROS = 2_000_000;
    private static final int MOST_HELD_BACK_KEPT = 256;
    /**
     * Under this share of its rate the server is not filling the path (libwebrtc's application-limited region ends
     * there).
     */
    private static final double APP_LIMITED_SHARE = 0.8;
    private static final double WINDOW_EXTRA_MILLIS = 100;
    private static final long CLOCK_JUMP_MICROS = 3_000_000;
    /** The most arrivals kept for the received rate: 250 ms at 150 Mbit/s of 1,200-byte packets. */
    private static final int MOST_RECEIVED_KEPT = 4096;
    private static final double LEAST_WINDOW_MILLIS = 250;
    /**
     * From this share of packets lost on, the path is lossy ({@link #lossy}): each retransmission goes twice
     * ({@link RtpSender}), and the window holds one interval between the receiver's reports more, as a lost report
     * leaves what it would have told on the way until the next. In the network bench at 80 ms and 5 % loss with no
     * cap, frames were held back with 79 to 87 KB on the way against a window of 78 KB (250 ms at 2.5 Mbit/s), each
     * a frame the viewer never got, on a path with no queue at all.
     */
    static final double LOSSY_FROM = 0.02;
    /** The longest interval between reports taken for that: Chromium's longest (250 ms). */
    private static final double MOST_REPORT_INTERVAL_MILLIS = 250;

    /**
     * While the encoder sends under the rate and the rate is held ({@link AimdRateControl#heldWithin}), a probe
     * goes once in this long (libwebrtc's periodic probing in the application-limited region, which it runs for
     * screen content, whose encoder leaves the rate unfilled as rendered scenes do); after each that finds nothing
     * more, twice as long, up to {@value #MOST_PROBE_EVERY_MILLIS} ms: a probe queues on a path it fills, and the
     * frames behind it wait. At the step to 1.5 Mbit/s (docs/network-page-probes.csv) input to photon p99 was 173.3
     * ms in the one run with a probe every 5 s, 169.4 and 166.3 with these, 166.6 with none: a cost one run hints
     * at, not one the runs show.
     */
    static final long PROBE_EVERY_MILLIS = 5_000;
    static final long MOST_PROBE_EVERY_MILLIS = 20_000;
    /** A probe goes at this many times the rate (libwebrtc's), at most the ceiling, and at least a quarter over. */
    static final double PROBE_SCALE = 2;
    private static final double LEAST_PROBE_SCALE = 1.25;
    /** A probe whose packets are not all reported in this long is judged on those that are. */
    private static final long PROBE_REPORTED_WITHIN_MILLIS = 1_000;

    /**
     * What became of one packet: sent at {@code sendNanos}, arrived at {@code arrivalMicros} (-1: lost); whether it
     * was one of a {@code probe}'s.
     */
    record Fate(long sendNanos, long arrivalMicros, int size, boolean probe) {
        Fate(long sendNanos, long arrivalMicros, int size) {
            this(sendNanos, arrivalMicros, size, false);
        }

        boolean arrived() {
            return arrivalMicros >= 0;
        }
    }

    private final InterArrival interArrival = new InterArrival();
    private final TrendlineDetector trendline = new TrendlineDetector();
    /**
     * Packets received over the last {@link #RECEIVED_SPAN_MICROS}, as [arrival, size, send time in microseconds],
     * by arrival.
     */
    private final ArrayDeque<long[]> receivedRecently = new ArrayDeque<>();
    /** When the server held frames back lately ({@link #heldBack}), microseconds on its clock, oldest first. */
    private final ArrayDeque<Long> heldBackMicros = new ArrayDeque<>();
    private long receivedBytes;
    private long newestArrivalMicros = Long.MIN_VALUE;
    private AimdRateControl delayBased;
    private final LossBasedRate lossBased = new LossBasedRate(LEAST_BITS_PER_SECOND);
    private final RecentLoss recentLoss = new RecentLoss();
    private long rate = -1;
    private double roundTripMillis = Double.NaN;
    /** The interval between reports with news, smoothed; and when the last came, in ms on the server's clock. */
    private double reportIntervalMillis = Double.NaN;
    private double lastReportMillis = Double.NaN;
    /** The probe whose packets are reported on, else null; when the last probe went, ms on the server's clock. */
    private ProbeCluster probe;
    private double probeMillis = Double.NaN;
    private double probeEveryMillis = PROBE_EVERY_MILLIS;
    private long probes;

    /**
     * The rate for the viewer's encoder now, bits a second, at most {@code ceiling}: the application's rate, and the
     * rate it starts at.
     */
    synchronized long bitsPerSecond(long ceiling) {
        if (delayBased == null) {
            delayBased = new AimdRateControl(ceiling, LEAST_BITS_PER_SECOND);
            lossBased.start(ceiling);
            rate = ceiling;
        }
        delayBased.ceiling(ceiling);
        rate = Math.min(rate, ceiling);
        return rate;
    }

    /**
     * What the viewer received lately, bits a second, by its own clock (over at least {@value #LEAST_SPAN_MICROS}
     * microseconds, so that one frame's burst is not read as the rate); 0 before it said.
     */
    synchronized long receivedBitsPerSecond() {
        if (receivedRecently.size() < 2) {
            return 0;
        }
        long span = Math.max(LEAST_SPAN_MICROS, newestArrivalMicros - receivedRecently.peekFirst()[0]);
        return (receivedBytes - receivedRecently.peekFirst()[1]) * 8_000_000 / span;
    }

    /**
     * The server held a frame back now (its congestion window full): the path may stand idle for want of it, and
     * what arrives meanwhile is not the path's rate.
     */
    synchronized void heldBack(long nowNanos) {
        long micros = nowNanos / 1000;
        heldBackMicros.addLast(micros);
        while (heldBackMicros.size() > MOST_HELD_BACK_KEPT
                || heldBackMicros.peekFirst() < micros - HELD_BACK_KEPT_MICROS) {
            heldBackMicros.pollFirst();
        }
    }

    /**
     * What the path carried lately while it had something to carry: the rate received, or more where the server left it
     * idle. Across a gap in the server's sending the path may have stood idle for want of packets (for as long as the
     * gap lasted in both the sending and the arrivals, less the next packet's own time on the path), and that time is
     * not counted as busy, but only where the server is known to have sent less than the path could take: across a
     * frame its window held back ({@link #heldBack}), or anywhere in a span over which it sent under
     * {@value #APP_LIMITED_SHARE} of its rate (after a cut x264 undershoots the new rate for a second or so, and sends
     * small frames). Not otherwise: between the bursts of a server that sends its rate, a path shared with other flows
     * is busy with theirs, and those gaps counted as idle would read the link's whole speed as this viewer's. An
     * overuse cuts the rate to a share of this: after a cut the queue drains, what arrives is the server's undershoot,
     * and a second overuse read on the delay's trend (which those few packets have not moved) took a share of that. 0
     * where the path was busy for less than {@value #SHORTEST_BUSY_MICROS} µs of the span (a frame or two after a
     * pause): too little to tell.
     */
    synchronized long carriedBitsPerSecond() {
        long received = receivedBitsPerSecond();
        if (received == 0) {
            return 0;
        }
        long firstSend = Long.MAX_VALUE;
        long lastSend = Long.MIN_VALUE;
        for (long[] packet : receivedRecently) {
            firstSend = Math.min(firstSend, packet[2]);
            lastSend = Math.max(lastSend, packet[2]);
        }
        long bytesAfterFirst = receivedBytes - receivedRecently.peekFirst()[1];
        boolean underItsRate = rate > 0 && lastSend > firstSend
                && bytesAfterFirst * 8e6 / (lastSend - firstSend) < APP_LIMITED_SHARE * rate;
        long[] pauses = heldBackMicros.stream().mapToLong(Long::longValue).toArray();
        // A packet's own time on the path is not idle: taken at the rate received or the rate asked, whichever is
        // more (the rate received alone understates the path where it stood idle).
        double microsPerBit = 1e6 / Math.max(received, rate);
        double idleMicros = 0;
        long latestArrival = Long.MIN_VALUE;
        long previousSend = 0;
        for (long[] packet : receivedRecently) {
            if (latestArrival != Long.MIN_VALUE && (underItsRate || pausedBetween(pauses, previousSend, packet[2]))) {
                long arrivalGap = Math.max(0, packet[0] - latestArrival); // by the latest arrival: reports may reorder
                long sendGap = packet[2] - previousSend;
                idleMicros += Math.max(0, Math.min(arrivalGap, sendGap) - packet[1] * 8 * microsPerBit);
            }
            latestArrival = Math.max(latestArrival, packet[0]);
            previousSend = packet[2];
        }
        double busy = newestArrivalMicros - receivedRecently.peekFirst()[0] - idleMicros;
        if (busy < SHORTEST_BUSY_MICROS) {
            return 0;
        }
        return Math.max(received, (long) (bytesAfterFirst * 8e6 / busy));
    }

    /** Whether a frame was held back after {@code fromMicros} and before {@code toMicros}; {@code pauses} sorted. */
    private static boolean pausedBetween(long[] pauses, long fromMicros, long toMicros) {
        int at = java.util.Arrays.binarySearch(pauses, fromMicros + 1);
        int first = at >= 0 ? at : -at - 1;
        return first < pauses.length && pauses[first] < toMicros;
    }

    /**
     * The capacity the delay-based controller found where the path queued, averaged over its overuses, bits a
     * second; -1: none, or none in the 20 s before {@code nowNanos}.
     */
    synchronized long capacityBitsPerSecond(long nowNanos) {
        return delayBased == null ? -1 : delayBased.capacityBitsPerSecond(nowNanos / 1e6);
    }

    /**
     * The rate a probe should go at now, bits a second, or -1 where none is due: the rate held for an encoder short
     * of it (within the last second), the path neither queueing nor lossy, no probe waiting to be reported on, the
     * last {@value #PROBE_EVERY_MILLIS} ms ago or more (more after probes that found nothing), and room under the
     * ceiling. A caller that sends one says so ({@link #probeSent}).
     */
    synchronized long probeDue(long nowNanos) {
        double now = nowNanos / 1e6;
        if (delayBased == null || probe != null || !delayBased.heldWithin(now, 1_000)
                || trendline.usage() != TrendlineDetector.Usage.NORMAL || lossy()
                || now - probeMillis < probeEveryMillis) {
            return -1;
        }
        long at = (long) Math.min(delayBased.ceiling(), PROBE_SCALE * rate);
        return at >= LEAST_PROBE_SCALE * rate ? at : -1;
    }

    /** A probe of {@code packets} packets goes now: their fates, marked, make its cluster. */
    synchronized void probeSent(int packets, long nowNanos) {
        probe = new ProbeCluster(packets);
        probeMillis = nowNanos / 1e6;
        probes++;
    }

    /** Probes sent so far. */
    synchronized long probes() {
        return probes;
    }

    /** The round trip of the newest packet reported, smoothed, in milliseconds; NaN before any. */
    synchronized double roundTripMillis() {
        return roundTripMillis;
    }

    /**
     * The most bytes that may be on the way at the rate: what it carries over the round trip and
     * {@value #WINDOW_EXTRA_MILLIS} ms more (the feedback's own interval, and a little queue), and over
     * {@value #LEAST_WINDOW_MILLIS} ms at least, so that a key frame alone does not close it; on a path that loses
     * {@link #LOSSY_FROM} or more, one interval between reports more. Unbounded before a rate is set.
     */
    synchronized long windowBytes() {
        if (rate < 0) {
            return Long.MAX_VALUE;
        }
        double millis = Math.max(LEAST_WINDOW_MILLIS, roundTripOrGuess() + WINDOW_EXTRA_MILLIS);
        if (lossy() && !Double.isNaN(reportIntervalMillis)) {
            millis += Math.min(MOST_REPORT_INTERVAL_MILLIS, reportIntervalMillis);
        }
        return (long) (rate / 8.0 * millis / 1000);
    }

    /** Whether the delay says a queue grows on the path now. */
    synchronized boolean overusing() {
        return trendline.usage() == TrendlineDetector.Usage.OVERUSING;
    }

    /** Whether the path loses {@link #LOSSY_FROM} of its packets or more lately. */
    synchronized boolean lossy() {
        return recentLoss.share() >= LOSSY_FROM;
    }

    /** The share of packets lost lately ({@link RecentLoss}): what FEC goes by. */
    synchronized double loss() {
        return recentLoss.share();
    }

    /** A feedback report, learnt at {@code nowNanos}: the fate of each packet it names that was sent. */
    synchronized void reported(List<Fate> fates, long nowNanos) {
        if (fates.isEmpty()) {
            return;
        }
        double now = nowNanos / 1e6;
        if (!Double.isNaN(lastReportMillis)) {
            double interval = now - lastReportMillis;
            reportIntervalMillis = Double.isNaN(reportIntervalMillis) ? interval
                    : 0.875 * reportIntervalMillis + 0.125 * interval;
        }
        lastReportMillis = now;
        if (probe != null) {
            for (Fate fate : fates) {
                if (fate.probe()) {
                    probe.reported(fate);
                }
            }
        }
        Fate[] arrived = fates.stream().filter(Fate::arrived).sorted(Comparator.comparingLong(Fate::arrivalMicros))
                .toArray(Fate[]::new);
        long newestSend = Long.MIN_VALUE;
        for (Fate fate : arrived) {
            newestSend = Math.max(newestSend, fate.sendNanos());
            received(fate);
            InterArrival.Delta delta = interArrival.packet(fate.sendNanos() / 1e6, fate.arrivalMicros() / 1e3, now);
            if (delta != null) {
                trendline.update(delta);
            }
        }
        // What is lost while the delay says a queue grows is that queue's overflow: congestion, which the lower rate
        // ends and FEC would only add to, not the path's own loss, which FEC and resending twice go by.
        if (trendline.usage() != TrendlineDetector.Usage.OVERUSING) {
            recentLoss.count(fates.size(), fates.size() - arrived.length, now);
        }
        if (newestSend != Long.MIN_VALUE) {
            double sample = (nowNanos - newestSend) / 1e6;
            roundTripMillis = Double.isNaN(roundTripMillis) ? sample : 0.875 * roundTripMillis + 0.125 * sample;
        }
        if (delayBased == null) {
            return; // no rate asked for yet: nothing to set (the loss, which decides the FEC, is counted above)
        }
        delayBased.roundTrip(roundTripOrGuess());
        double received = receivedBitsPerSecond();
        TrendlineDetector.Usage usage = trendline.usage();
        double carried = usage == TrendlineDetector.Usage.OVERUSING ? carriedBitsPerSecond() : received; // cuts only
        long delay = delayBased.bitsPerSecond();
        if (arrived.length > 0 && (usage != TrendlineDetector.Usage.OVERUSING
                || delayBased.dueForDecrease(now, carried))) {
            delay = delayBased.update(usage, received, carried, now);
        }
        if (probe != null && (probe.complete() || now - probeMillis > PROBE_REPORTED_WITHIN_MILLIS)) {
            long carries = probe.bitsPerSecond();
            probe = null;
            long before = delay;
            if (carries > 0 && usage != TrendlineDetector.Usage.OVERUSING) {
                delay = delayBased.probed(carries, now);
            }
            if (delay > before) {
                lossBased.probed(delay);
                probeEveryMillis = PROBE_EVERY_MILLIS;
            } else {
                probeEveryMillis = Math.min(MOST_PROBE_EVERY_MILLIS, 2 * probeEveryMillis);
            }
        }
        rate = lossBased.update(fates.size(), fates.size() - arrived.length, delay,
                usage == TrendlineDetector.Usage.OVERUSING, roundTripOrGuess(), now);
    }

    /** The round trip as measured, or 200 ms (libwebrtc's guess) before any measure. */
    private double roundTripOrGuess() {
        return Double.isNaN(roundTripMillis) ? 200 : roundTripMillis;
    }

    private void received(Fate fate) {
        long arrival = fate.arrivalMicros();
        if (arrival < newestArrivalMicros - CLOCK_JUMP_MICROS) {
            // The receiver's clock went back (its 24-bit reference time wrapped, or it says so): start again.
            receivedRecently.clear();
            receivedBytes = 0;
            newestArrivalMicros = Long.MIN_VALUE;
        }
        newestArrivalMicros = Math.max(newestArrivalMicros, arrival);
        receivedRecently.addLast(new long[] {arrival, fate.size(), fate.sendNanos() / 1000});
        receivedBytes += fate.size();
        // By the newest arrival, and no more than a bound: arrival times a peer holds still cannot grow it.
        while (newestArrivalMicros - receivedRecently.peekFirst()[0] > RECEIVED_SPAN_MICROS
                || receivedRecently.size() > MOST_RECEIVED_KEPT) {
            receivedBytes -= receivedRecently.pollFirst()[1];
        }
    }

    @Override
    public synchronized String toString() {
        return String.format("%d bit/s, path %s, received %d bit/s, carried %d bit/s, round trip %.0f ms, loss %.3f",
                rate, trendline.usage(), receivedBitsPerSecond(), carriedBitsPerSecond(), roundTripMillis, loss());
    }
}
