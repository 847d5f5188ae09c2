package io.rendercast.rtmp;

/**
 * Sets a stream's encoder bit rate from what the server measures of its player's path: the server proposes a bit
 * rate that keeps the queues on the way short (lower as the path slows, then higher in steps while it keeps up),
 * and the policy returns the bit rate to use. Called on the stream's frame thread, about once a frame, and only
 * while the stream plays; the encoder is set only when the result changes by more than a few percent.
 *
 * <p>The default, {@link #ADAPTIVE}, never asks the encoder for more than the application did. {@link #FIXED}
 * turns adaptation off.
 */
@FunctionalInterface
public interface BitratePolicy {

    /** The default: the server's proposal, between {@link #MIN_BITRATE} and the bit rate the application set. */
    BitratePolicy ADAPTIVE = atLeast(BitratePolicy.MIN_BITRATE);

    /** Keeps the encoder at the bit rate the application set: no adaptation. */
    BitratePolicy FIXED = (stream, estimate, proposed, configured) -> configured;

    /**
     * @param estimate   the path as the server estimates it now (see {@link LinkEstimate#deliveryRate()})
     * @param proposed   the server's proposal, in bits per second
     * @param configured the bit rate the encoder was set to before the stream played
     * @return the bit rate for the encoder, in bits per second
     */
    long bitrate(Stream stream, LinkEstimate estimate, long proposed, long configured);

    /** The server's proposal, at most what the application set and at least {@code floor} bits per second. */
    static BitratePolicy atLeast(long floor) {
        return between(floor, Long.MAX_VALUE);
    }

    /** The server's proposal, at most {@code ceiling} (and what the application set) bits per second. */
    static BitratePolicy upTo(long ceiling) {
        return between(MIN_BITRATE, ceiling);
    }

    /** The server's proposal, kept between {@code floor} and {@code ceiling} (and what the application set). */
    static BitratePolicy between(long floor, long ceiling) {
        if (floor <= 0 || ceiling < floor) {
            throw new IllegalArgumentException("a floor above 0 and a ceiling at or above it, got " + floor + " and "
                    + ceiling);
        }
        return (stream, estimate, proposed, configured) ->
                Math.max(floor, Math.min(Math.min(ceiling, configured), proposed));
    }

    /** The lowest bit rate the server proposes: below it a picture at any size is mostly artefacts. */
    long MIN_BITRATE = 150_000;
}
