package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.BitratePolicy;
import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.server.transport.LinkEstimator;
import io.rendercast.rtmp.server.transport.LinkSample;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import java.util.ArrayDeque;

/**
 * Keeps one player's stream at a bit rate its path carries, on the stream's frame thread: the encoder that serves
 * this player alone is set from what its transport measures, so that a slower path gets fewer bits at the full
 * frame rate instead of a queue that grows until frames are dropped.
 *
 * <p>The signal is the standing queue: the least queue delay seen over the last {@value #STANDING_MILLIS} ms, so
 * that a key frame's burst is not taken for congestion. Above
 * {@value #HIGH_MILLIS} ms the bit rate comes down to what the path delivered, less enough to drain the queue in
 * about a second; below {@value #LOW_MILLIS} ms for a second, once the path delivers what was set, it goes up a
 * step, and the path shows whether it carries that. The application's {@link BitratePolicy} has the last word.
 */
final class BitrateAdaptation {

    static final long HIGH_MILLIS = 120;
    static final long LOW_MILLIS = 40;
    static final long STANDING_MILLIS = 400;
    private static final long STEP_NANOS = 1_000_000_000L;
    private static final double STEP_UP = 1.15;
    /**
     * A step up waits until the path delivers at least this share of the bit rate set: an encoder takes a second
     * or more (its rate buffer) to reach a new rate, and steps taken before it has would pile up unseen, each
     * queueing at once when it gets there. A scene too simple to fill its rate needs no more anyway.
     */
    private static final double FOLLOWED = 0.8;
    /** Changes smaller than this are not worth a reconfiguration of the encoder. */
    private static final double SMALLEST_CHANGE = 0.03;

    private record Reading(long nanos, long queueNanos) {
    }

    private final LinkEstimator estimator = new LinkEstimator();
    private final ArrayDeque<Reading> recent = new ArrayDeque<>();
    private final VideoEncoder encoder;
    private long configured;
    private long current;
    private long lastChangeNanos = Long.MIN_VALUE; // the first frame's time, until a change
    private volatile LinkEstimate estimate = LinkEstimate.UNKNOWN;

    /** For {@code encoder}, set by the application to its bit rate before play. */
    BitrateAdaptation(VideoEncoder encoder) {
        this.encoder = encoder;
        this.configured = bitrateOf(encoder);
        this.current = configured;
    }

    private static long bitrateOf(VideoEncoder encoder) {
        try {
            String value = encoder.getParameter(VideoEncoder.BITRATE);
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The path as last measured. */
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

    /** The bit rate the encoder was last set to, or 0 for an encoder without one. */
    long bitrate() {
        return current;
    }

    /** Once a frame: measures the path and sets the encoder's bit rate as the policy says. */
    void onFrame(Stream stream, LinkSample sample, BitratePolicy policy) {
        LinkEstimate now = estimator.update(sample);
        estimate = now;
        if (lastChangeNanos == Long.MIN_VALUE) {
            lastChangeNanos = sample.nanos();
        }
        if (configured == 0) {
            return; // an encoder that takes no bit rate (screen video)
        }
        long applied = bitrateOf(encoder);
        if (applied != current) {
            configured = applied; // the application set a new bit rate while the stream played: the new ceiling
            current = applied;
        }
        if (now.deliveryRate() == 0) {
            return; // nothing delivered yet: no delay to read
        }
        long standing = standingQueueNanos(sample.nanos(), now.queueDelay().toNanos());
        long proposed = propose(sample.nanos(), now.deliveryRate(), standing);
        long chosen = Math.max(1, policy.bitrate(stream, now, proposed, configured));
        if (Math.abs(chosen - current) > current * SMALLEST_CHANGE) {
            try {
                encoder.setParameter(VideoEncoder.BITRATE, Long.toString(chosen));
                current = chosen;
                lastChangeNanos = sample.nanos();
            } catch (VideoEncoderException e) {
                configured = 0; // it refuses a live change: leave it be
            }
        }
    }

    private long standingQueueNanos(long nanos, long queueNanos) {
        recent.addLast(new Reading(nanos, queueNanos));
        while (nanos - recent.peekFirst().nanos() > STANDING_MILLIS * 1_000_000) {
            recent.pollFirst();
        }
        if (nanos - recent.peekFirst().nanos() < STANDING_MILLIS * 1_000_000 / 2) {
            return 0; // too few readings yet to call a queue standing
        }
        long least = Long.MAX_VALUE;
        for (Reading r : recent) {
            least = Math.min(least, r.queueNanos());
        }
        return least;
    }

    /** The server's proposal: down to what drains the standing queue, or a step up once it stayed short. */
    private long propose(long nanos, long deliveryRate, long standingNanos) {
        double standingSeconds = standingNanos / 1e9;
        if (standingNanos > HIGH_MILLIS * 1_000_000 && nanos - lastChangeNanos > STANDING_MILLIS * 1_000_000) {
            double share = Math.max(0.5, 0.9 - standingSeconds);
            return Math.max(BitratePolicy.MIN_BITRATE, Math.min(current, (long) (deliveryRate * share)));
        }
        if (standingNanos < LOW_MILLIS * 1_000_000 && nanos - lastChangeNanos > STEP_NANOS
                && deliveryRate >= current * FOLLOWED) {
            return (long) (current * STEP_UP);
        }
        return current;
    }
}
