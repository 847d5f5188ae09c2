package io.rendercast.rtmp;

import java.time.Duration;

/**
 * What the server knows of the path to one player, from what its transport already tells: bytes the player
 * acknowledged (RTMP's acknowledgement window, the page's own acknowledgements), bytes the socket has not taken,
 * and TCP's round trip where the platform reports it.
 *
 * @param deliveryRate bits per second the path delivered at its best over the last few seconds; while the stream
 *                     is sent slower than the path can carry, this is the stream's own rate, not the path's
 * @param queueDelay   how long what the server has sent, and the player not yet received, takes to arrive at the
 *                     delivery rate: the delay that queues on the way add, and on a far path the bytes in flight
 *                     for a round trip
 * @param roundTrip    TCP's smoothed round trip, {@link Duration#ZERO} where the platform does not report it
 */
public record LinkEstimate(long deliveryRate, Duration queueDelay, Duration roundTrip) {

    /** Nothing measured yet. */
    public static final LinkEstimate UNKNOWN = new LinkEstimate(0, Duration.ZERO, Duration.ZERO);
}
