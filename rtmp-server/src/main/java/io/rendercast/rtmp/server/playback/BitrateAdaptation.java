package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.BitratePolicy;
import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.server.transport.LinkEstimator;
import io.rendercast.rtmp.server.transport.LinkSample;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;

/**
 * Keeps one player's stream at a bit rate its path carries, on the stream's frame thread: the encoder that serves
 * this player alone is set from what its transport measures, so that a slower path gets fewer bits at the full
 * frame rate instead of a queue that grows until frames are dropped.
 *
 * <p>The signal is the {@link StandingQueue} over {@value #STANDING_MILLIS} ms:
 * <ul>
 *   <li>above {@value #HIGH_MILLIS} ms the bit rate is cut to the {@link PathCapacity}, less enough to drain the
 *       queue in about a second, and not cut again for a second (the encoder takes that long to reach a new rate)
 *       unless the queue would take half a second to drain;</li>
 *   <li>a shorter queue over {@value #EASE_MILLIS} ms that stays a second eases the rate by 5 %;</li>
 *   <li>once the queue has drained, the rate goes back to 85 % of the capacity at once;</li>
 *   <li>from there it steps up as CUBIC grows TCP's window, in small steps, but no step goes past 95 % of the
 *       rate at which the path last queued or of the capacity: a step there was kept until the path queued again,
 *       and on an 80 ms path each such top reached 0.3 s of delay, every 9 s or so;</li>
 *   <li>above that mark only probes go: once the player receives about all the capacity, or the rate stands at the
 *       mark, it goes up for two seconds now and then, as BBR does, and stays up only if the path carried the probe
 *       (it made the probe's bits for a second, the player received more, and the queue did not grow). A carried
 *       probe is followed by another: where the player received 10 % more than the capacity last measured and the
 *       queue stands under a full path's own ({@value Probe#FULL_PATH_MILLIS} ms), a second later and twice as far
 *       above (up to 32 %), so that a path with room is found in a few; else five seconds later and as far. One
 *       the path did not carry goes back to the last it carried, and the next waits twice as long, up to
 *       {@value #MOST_PROBE_EVERY_SECONDS} s, until one finds room to spare.</li>
 * </ul>
 * A step up waits until the path delivers most of the rate set. A transport with a congestion controller of its
 * own (WebRTC's Google Congestion Control) proposes the rate instead. The application's {@link BitratePolicy} has
 * the last word.
 */
final class BitrateAdaptation {

    static final long HIGH_MILLIS = 120;
    static final long LOW_MILLIS = 40;
    static final long STANDING_MILLIS = 400;
    static final long EASE_MILLIS = 70;
    private static final double EASE = 0.95;
    /** A standing queue that takes this long to drain is cut again without waiting for the encoder. */
    private static final long LONG_QUEUE_MILLIS = 500;
    /** The share of the capacity the rate goes back to once a queue has drained. */
    private static final double BACK_TO = 0.85;
    private static final long STEP_NANOS = 1_000_000_000L;
    private static final double STEP_UP = 1.15;
    /** Within 15 % of the rate at which the path last queued, steps are smaller. */
    private static final double STEP_UP_NEAR = 1.05;
    /** Steps stop at this share of the rate at which the path last queued; only a probe goes higher. */
    private static final double HOLD_BELOW_QUEUED = 0.95;
    /**
     * The rate at which the path queued is taken no higher than this much above what it carried: right after a
     * sudden drop it queues at a rate far above the new path.
     */
    private static final double QUEUED_ABOVE_CAPACITY = 1.15;
    /** Cuts within this long of a first drain that one queue: the first cut's rate stands for them all. */
    private static final long EPISODE_NANOS = 4_000_000_000L;
    /** Receiving this share of the capacity, the player has about all of it: steps give way to probes. */
    private static final double FULL = 0.9;
    private static final long PROBE_EVERY_NANOS = 5_000_000_000L;
    static final long MOST_PROBE_EVERY_SECONDS = 20;
    private static final double PROBE_GAIN = 1.08;
    /**
     * After a probe the path carried, the next comes this soon and goes twice as far above, up to
     * {@value #MOST_PROBE_GAIN}: a probe that only just fit says the path has about that much, and 15 % steps
     * a second from there queued 0.35 s in simulation, while a path with room to spare is found in a few probes.
     */
    private static final long PROBE_AGAIN_NANOS = 1_000_000_000L;
    private static final double MOST_PROBE_GAIN = 1.32;
    /**
     * A step up waits until the path delivers at least this share of the bit rate set: an encoder takes a second
     * or more (its rate buffer) to reach a new rate, and steps taken before it has would pile up unseen, each
     * queueing at once when it gets there. A scene too simple to fill its rate needs no more anyway.
     */
    private static final double FOLLOWED = 0.8;
    /** Changes smaller than this are not worth a reconfiguration of the encoder. */
    static final double SMALLEST_CHANGE = 0.03;
    /** A full-sized segment on Ethernet, in bits: what TCP's window counts. */
    private static final double FULL_SEGMENT_BITS = 1448 * 8;
    /** Of the frames made while TCP pauses, at least one in three is kept: a gap of 100 ms at 30 fps. */
    private static final double LEAST_KEPT = 1 / 3.0;

    private final LinkEstimator estimator = new LinkEstimator();
    private final StandingQueue standingQueue = new StandingQueue(STANDING_MILLIS * 1_000_000);
    private final PathCapacity capacity = new PathCapacity();
    /** The standing queue as last read (not while TCP pauses), in ns. */
    private long lastStandingNanos;
    private final WrittenRate written = new WrittenRate();
    private final TcpPause tcpPause = new TcpPause();
    private boolean paused;
    /**
     * The rate the player received as TCP's last pause began, and when that pause ended: for a second after it
     * (the span the rate received is measured over) the pause is in that rate, and it says less than the path
     * carries.
     */
    private long receivedBeforePause;
    private long pauseEndedNanos = Long.MIN_VALUE / 2;
    /** The share of frames kept while TCP pauses, and how far the frames kept are behind it. */
    private double keptShare = 1;
    private double keptCredit;
    private long lastCutNanos = Long.MIN_VALUE / 2;
    private long episodeNanos = Long.MIN_VALUE / 2;
    /** The bit rate set when the path last queued, as CUBIC keeps the window at its last loss; 0: none. */
    private long queuedAt;
    /**
     * The probe above the capacity under way, or null; one the path did not carry goes back to the rate before it,
     * the last the path carried. It once went back to the rate before the first of probes that followed each
     * other, since one passed on the player's rate alone may have fit only just; judged on TCP's queue too, the last
     * carried fits, and going back further left the bench's step at 0.93 Mbit/s on a 1.5 Mbit/s path after probes
     * had carried 1.17.
     */
    private Probe probe;
    /** How long the next probe waits after one the path did not carry: twice as long each time. */
    private long probeBackoffNanos = PROBE_EVERY_NANOS;
    /** How long after the last change the next probe waits: longer after each probe the path did not carry. */
    private long probeEveryNanos = PROBE_EVERY_NANOS;
    private double probeGain = PROBE_GAIN;
    private final VideoEncoder encoder;
    private long configured;
    private long current;
    private long lastChangeNanos = Long.MIN_VALUE; // the first frame's time, until a change
    private volatile LinkEstimate estimate = LinkEstimate.UNKNOWN;

    /** For {@code encoder}, set by the application to its bit rate before play. */
    BitrateAdaptation(VideoEncoder encoder) {
        this.encoder = encoder;
        this.configured = StreamEncoder.bitrateOf(encoder);
        this.current = configured;
    }

    /**
     * The path as last measured; across TCP's pauses, with the rate the player received before each, and where no
     * queue stands, the capacity measured while one last did.
     */
    LinkEstimate estimate() {
        return estimate;
    }

    /**
     * How long what the server holds for the player (not yet taken by its socket) takes at the delivery rate; on
     * the frame thread, as of its last {@link #onFrame}.
     */
    long heldNanos() {
        return estimator.heldNanos();
    }

    /**
     * Whether the frame about to be made is left out, while the player's TCP holds itself back ({@link TcpPause}):
     * enough of them that what is made fits what TCP sends meanwhile, its least window a round trip, but never more
     * than two in three. The frames made in such a pause wait in the socket, and an encoder takes a second to reach
     * a lower rate: on the bench's 80 ms path each of BBR's pauses put 30 KB behind it, which BBR then sent at once
     * into the router's queue, and frames reached 0.35 s of delay where they had 0.14 s; leaving out every other
     * one, still 0.3 s. The encoder is told of no gap: it keeps to its rate a frame at a time.
     */
    boolean leavesOutFrame() {
        if (!paused) {
            keptCredit = 0;
            return false;
        }
        keptCredit += keptShare;
        if (keptCredit >= 1) {
            keptCredit -= 1;
            return false;
        }
        return true;
    }

    /** The bit rate the encoder was last set to, or 0 for an encoder without one. */
    long bitrate() {
        return current;
    }

    /** Once a frame: measures the path and sets the encoder's bit rate as the policy says. */
    void onFrame(Stream stream, LinkSample sample, BitratePolicy policy) {
        onFrame(stream, sample, ceiling -> -1, () -> -1, policy);
    }

    /**
     * Once a frame, for a transport that may have a congestion controller of its own: where
     * {@code transportRate} gives a rate for the ceiling, that rate is the server's proposal, not the estimate
     * from the link samples (which are still measured, for the statistics, and read no lower than the capacity
     * {@code transportCapacity} gives, where it gives one).
     */
    void onFrame(Stream stream, LinkSample sample, java.util.function.LongUnaryOperator transportRate,
                 java.util.function.LongSupplier transportCapacity, BitratePolicy policy) {
        LinkEstimate measured = estimator.update(sample);
        boolean wasPaused = paused;
        paused = tcpPause.update(sample.nanos(), sample.window());
        if (paused && !wasPaused) {
            receivedBeforePause = measured.deliveryRate();
        } else if (wasPaused && !paused) {
            pauseEndedNanos = sample.nanos();
        }
        LinkEstimate now = acrossPause(sample.nanos(), measured);
        written.update(sample.nanos(), sample.bytesWritten());
        if (paused && current > 0) {
            // A round trip read now still has the queue the pause is draining in it: fewer frames kept, not more.
            double roundTrip = Math.max(now.roundTrip().toNanos(), 1_000_000) / 1e9;
            double sent = LinkSample.LEAST_WINDOW * FULL_SEGMENT_BITS / roundTrip;
            keptShare = Math.clamp(sent / current, LEAST_KEPT, 1);
        }
        if (lastChangeNanos == Long.MIN_VALUE) {
            lastChangeNanos = sample.nanos();
        }
        if (configured == 0) {
            estimate = now;
            return; // an encoder that takes no bit rate (screen video)
        }
        long applied = StreamEncoder.bitrateOf(encoder);
        if (applied != current) {
            configured = applied; // the application set a new bit rate while the stream played: the new ceiling
            current = applied;
        }
        long controlled = transportRate.applyAsLong(configured);
        if (controlled < 0 && now.deliveryRate() == 0) {
            estimate = now;
            return; // nothing delivered yet: no delay to read
        }
        long proposed;
        if (controlled >= 0) {
            proposed = controlled;
        } else if (paused) {
            // What the player receives now says what its TCP allows itself, not what the path carries: no cut, no
            // capacity, no probe judged on it. Without this wait the bench's step (whose queue BBR met with a
            // pause) was cut by a capacity measured low, and held low: the estimate settled within 5 s of the step
            // in 1 of 6 runs, in 3 of 6 with it (docs/network-step-runs.csv).
            proposed = current;
        } else {
            lastStandingNanos = standingQueue.update(sample.nanos(), now.queueDelay().toNanos());
            capacity.noteTcpRate(sample.nanos(), sample.pathRate());
            proposed = propose(sample.nanos(), now.deliveryRate(), lastStandingNanos);
        }
        // Through a pause, the queue as it stood before it: the path's, not what TCP allowed itself meanwhile
        now = whereNoQueueStands(now, lastStandingNanos);
        if (controlled >= 0) {
            now = atLeastTheControllersCapacity(now, transportCapacity.getAsLong());
        }
        estimate = now;
        long chosen = Math.max(1, policy.bitrate(stream, now, proposed, configured));
        // A small change is not worth a reconfiguration, but the last step to the ceiling is taken however small.
        if (Math.abs(chosen - current) > current * SMALLEST_CHANGE || (chosen == configured && chosen != current)) {
            try {
                encoder.setParameter(VideoEncoder.BITRATE, Long.toString(chosen));
                current = chosen;
                lastChangeNanos = sample.nanos();
            } catch (VideoEncoderException e) {
                configured = 0; // it refuses a live change: leave it be
            }
        }
    }

    /**
     * The path as measured, but while TCP pauses and for a second after (the rate received is measured over one)
     * with a delivery rate no less than as the pause began: what the player received then is what its TCP allowed
     * itself, not what the path carries. Bench network's step saw a queue that stood as a pause ended cut by a
     * capacity of 1.18 Mbit/s read through the pause, on a 1.5 Mbit/s path, to 0.9, where the steps near it held it
     * for 8 s; and the estimate an application sees dipped by a fifth every ten seconds.
     */
    private LinkEstimate acrossPause(long nanos, LinkEstimate measured) {
        if (!paused && nanos - pauseEndedNanos >= LinkEstimator.RATE_SPAN_NANOS
                || measured.deliveryRate() >= receivedBeforePause) {
            return measured;
        }
        return new LinkEstimate(receivedBeforePause, measured.queueDelay(), measured.roundTrip());
    }

    /**
     * The path as the statistics and the policy see it: where no queue stands, what the player receives is what the
     * server sent, not what the path carries, and the capacity measured while the path last queued says more, while
     * it is kept ({@link PathCapacity}: 20 s from the last measure, until the player receives more for two seconds,
     * or until a probe finds room to spare); with no such measure (a transport with a congestion controller of its
     * own measures none), what the player received. Without this, the rate received once a cut had drained a queue
     * was the cut's (bench network's step read 0.9 to 1.1 Mbit/s on its 1.5 Mbit/s path for a second or two while
     * the encoder climbed back: the estimate settled 5.9 s after the step in one run of twelve), and as TCP's
     * recovery from the step's losses ended, its acknowledgements of what had arrived meanwhile came at once and
     * read 2.0 Mbit/s for a moment (RTMP, 3.5 s after the step).
     */
    private LinkEstimate whereNoQueueStands(LinkEstimate measured, long standingNanos) {
        long carried = capacity.value();
        if (standingNanos >= LOW_MILLIS * 1_000_000 || carried == 0) {
            return measured;
        }
        return new LinkEstimate(carried, measured.queueDelay(), measured.roundTrip());
    }

    /**
     * For a transport with a congestion controller of its own (WebRTC's), the path as the statistics and the policy
     * see it: what the viewer received, or the capacity that controller found where the path queued if that is more,
     * but not where the viewer receives under half of it (an outage, or a path that fell: what arrives says more).
     * While no queue stands the viewer receives the server's own rate, and after each of GCC's cuts x264 undershoots
     * the new rate for a second: on bench network-page's step the rate received read 1.00 Mbit/s on the 1.5 Mbit/s
     * path for 0.4 s, 45 s after the step, while GCC's rate stood at 1.23 (M3 in docs/network-page-step-gcc.csv).
     */
    private static LinkEstimate atLeastTheControllersCapacity(LinkEstimate measured, long capacity) {
        if (capacity <= measured.deliveryRate() || measured.deliveryRate() < capacity / 2) {
            return measured;
        }
        return new LinkEstimate(capacity, measured.queueDelay(), measured.roundTrip());
    }

    /**
     * The server's proposal: down to what drains a standing queue; eased off a short one that stays; back to most
     * of the capacity once drained; up a step, or a probe, once there is no queue.
     */
    private long propose(long nanos, long deliveryRate, long standingNanos) {
        // After a cut the encoder takes a second to reach the new rate, and the queue grows meanwhile: cut again
        // that soon only for a queue that would take long to drain.
        boolean cutDue = nanos - lastChangeNanos > STANDING_MILLIS * 1_000_000
                && (nanos - lastCutNanos > STEP_NANOS || standingNanos > LONG_QUEUE_MILLIS * 1_000_000);
        if (standingNanos > HIGH_MILLIS * 1_000_000 && cutDue) {
            return cut(nanos, deliveryRate, standingNanos);
        }
        if (standingNanos >= LOW_MILLIS * 1_000_000) {
            capacity.measureWhileQueued(nanos);
            if (probe != null) {
                return probeNotCarried(); // the probe queued: the path has no more than before
            }
            if (standingNanos > EASE_MILLIS * 1_000_000 && nanos - lastChangeNanos > STEP_NANOS) {
                return (long) (current * EASE); // a short queue that stays: ease off before it needs a cut
            }
            return current;
        }
        if (capacity.noQueue(nanos, deliveryRate)) {
            // The player received more than the path was measured to carry: it has more now, how much the probes
            // find. Steps of 15 % a second from here (as before) reached 1.85 Mbit/s on a 1.5 Mbit/s link.
            holdHereAndProbeIn(PROBE_AGAIN_NANOS);
        }
        long measured = capacity.value();
        if (measured > 0 && current < measured * BACK_TO * (1 - SMALLEST_CHANGE)
                && nanos - lastChangeNanos > STANDING_MILLIS * 1_000_000) {
            // The queue has drained: back to what the path carried, less a margin; and what it carried says
            // better where it queued than the rates of the cuts (right after a drop, the rate received lags).
            queuedAt = Math.min(queuedAt, (long) (measured * QUEUED_ABOVE_CAPACITY));
            return (long) (measured * BACK_TO);
        }
        if (probe != null) {
            return endOfProbe(nanos, deliveryRate, standingNanos);
        }
        boolean held = queuedAt > 0 && current >= hold() * (1 - SMALLEST_CHANGE) && deliveryRate >= current * FOLLOWED;
        if (held || measured > 0 && deliveryRate >= measured * FULL) {
            // About all the capacity: going higher for good would only fill the router's queue. Now and then
            // the rate goes up for a moment instead, and stays up only if the path carries it.
            if (nanos - lastChangeNanos > probeEveryNanos && current < configured) { // nothing to find above it
                probe = new Probe(nanos, current, deliveryRate, standingNanos, written.value());
                return (long) (current * probeGain);
            }
            return current;
        }
        return stepUp(nanos, deliveryRate);
    }

    /** Down to the capacity, less enough to drain the standing queue in about a second. */
    private long cut(long nanos, long deliveryRate, long standingNanos) {
        capacity.measureAtCut(nanos, deliveryRate);
        long at = Math.min(current, (long) (Math.max(capacity.tcpRate(), deliveryRate) * QUEUED_ABOVE_CAPACITY));
        if (nanos - episodeNanos > EPISODE_NANOS) {
            episodeNanos = nanos;
            queuedAt = at;
        } else {
            queuedAt = Math.max(queuedAt, at);
        }
        lastCutNanos = nanos;
        probe = null;
        probeGain = PROBE_GAIN;
        double share = Math.max(0.5, 0.9 - standingNanos / 1e9);
        return Math.max(BitratePolicy.MIN_BITRATE, Math.min(current, (long) (capacity.value() * share)));
    }

    /**
     * A probe under the mark where steps stop ends once {@link Probe} says. A carried probe stays, and the next
     * goes further: a path with room to spare (a far one whose start was cut while TCP's window grew) gets its rate
     * back in seconds; but only where the player received 10 % more than the capacity last measured, else the next
     * probe goes as far as this one: on bench network's 1.5 Mbit/s path a probe from 1.30 to 1.41 Mbit/s was
     * carried (the path takes about 1.44 of TCP's payload), and the next, of 16 %, queued 130 ms and cut the rate to
     * 1.06.
     */
    private long endOfProbe(long nanos, long deliveryRate, long standingNanos) {
        return switch (probe.judge(nanos, current, deliveryRate, standingNanos, written.value())) {
            case UNDECIDED -> current;
            case NOT_CARRIED -> probeNotCarried();
            case CARRIED -> probeCarried(deliveryRate, standingNanos);
        };
    }

    private long probeCarried(long deliveryRate, long standingNanos) {
        probe = null;
        // Room to spare where the player received clearly more than the path was measured to carry, and TCP's queue
        // stands under a full path's own level: a measure taken as TCP recovered from a drop reads low, and on bench
        // network's step probes from 1.34 Mbit/s went 16 % and then 32 % above a path that stood at 26 to 39 ms, to
        // 2.05 Mbit/s, and queued 0.23 s. With room found, the next probe goes twice as far, and the next one the
        // path does not carry waits five seconds again, not the twenty earlier ones reached, so that a path whose
        // room comes and goes is followed as soon. Not on a full path, where a probe carried within the measure is
        // followed by one five seconds later anyway, and one not carried by the longer wait.
        if (capacity.clearlyBeyondLastMeasure(deliveryRate) && standingNanos < Probe.FULL_PATH_MILLIS * 1_000_000) {
            probeGain = Math.min(MOST_PROBE_GAIN, 1 + (probeGain - 1) * 2);
            probeBackoffNanos = PROBE_EVERY_NANOS;
            capacity.forget();
            holdHereAndProbeIn(PROBE_AGAIN_NANOS);
        } else {
            // Within what the path was measured to carry, a queue that grows by a few ms a second may not show in
            // the second judged: the next probe waits as long as after a change, for it to stand.
            holdHereAndProbeIn(PROBE_EVERY_NANOS);
        }
        return current;
    }

    /** Steps go no higher than the rate now, and the next probe comes {@code nanos} after the last change. */
    private void holdHereAndProbeIn(long nanos) {
        queuedAt = (long) (current / HOLD_BELOW_QUEUED);
        probeEveryNanos = nanos;
    }

    /**
     * The highest rate steps go to: just under both the rate at which the path last queued and the capacity
     * measured (right after a sudden drop the rate that queued is the old path's, taken at most 15 % above the
     * capacity).
     */
    private long hold() {
        long measured = capacity.value();
        return (long) ((measured > 0 ? Math.min(queuedAt, measured) : queuedAt) * HOLD_BELOW_QUEUED);
    }

    private long probeNotCarried() {
        long back = probe.rateBefore();
        probe = null;
        probeEveryNanos = probeBackoffNanos;
        probeBackoffNanos = Math.min(probeBackoffNanos * 2, MOST_PROBE_EVERY_SECONDS * 1_000_000_000L);
        probeGain = PROBE_GAIN;
        long found = (long) (back / HOLD_BELOW_QUEUED); // the probes found no more than this
        queuedAt = queuedAt == 0 ? found : Math.min(queuedAt, found);
        return back;
    }

    /**
     * As CUBIC grows TCP's window: small below the rate at which the path last queued, up to just under it, and
     * larger well above it (the path has more than it had then).
     */
    private long stepUp(long nanos, long deliveryRate) {
        if (nanos - lastChangeNanos <= STEP_NANOS || deliveryRate < current * FOLLOWED) {
            return current;
        }
        if (queuedAt == 0) {
            return (long) (current * STEP_UP);
        }
        long hold = hold();
        if (current < hold) {
            return Math.min(hold, (long) (current * STEP_UP_NEAR));
        }
        double near = current / (double) queuedAt;
        return near < 1 ? current : (long) (current * (near < 1.15 ? STEP_UP_NEAR : STEP_UP));
    }
}
