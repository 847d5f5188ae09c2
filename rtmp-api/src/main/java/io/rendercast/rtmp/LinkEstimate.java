package io.rendercast.rtmp;

import java.time.Duration;

/**
 * What the server knows of the path to one player, from what its transport already tells: bytes the player
 * acknowledged and when (RTMP's acknowledgement window, or else its TCP's acknowledgements where the platform reports
 * them: Linux's TCP_INFO), bytes the socket has not taken, and TCP's round trip.
 *
 * @param deliveryRate bits per second the path delivers: what the player received over the last second (through
 *                     a pause of TCP's own, as before it); for a player of its own stream whose transport has no
 *                     congestion controller of its own (RTMP, HTTP-FLV, the WebSocket page), while no queue stands
 *                     the server sends less than the path carries, and this is the capacity measured when the path
 *                     last queued (TCP's delivery rate then where the platform reports it, else the rate received),
 *                     while that is kept: 20 s from the last measure, or until the player receives more; with no
 *                     such measure, a stream sent slower than the path carries reads its own rate; for a player
 *                     whose transport runs a congestion controller of its own (WebRTC's), no less than the capacity
 *                     that controller found where the path queued (averaged over its overuses of the last 20 s),
 *                     unless the player receives under half of that
 * @param queueDelay   the delay that queues on the way add: what a round trip takes beyond the least it took lately
 *                     (TCP's own round trips where the platform reports them, else timed by the acknowledgements),
 *                     and what the server holds for the player at the delivery rate
 * @param roundTrip    the round trip to the player: TCP's smoothed round trip where the platform reports it, else
 *                     timed by the acknowledgements; {@link Duration#ZERO} when unknown
 */
public record LinkEstimate(long deliveryRate, Duration queueDelay, Duration roundTrip) {

    /** Nothing measured yet. */
    public static final LinkEstimate UNKNOWN = new LinkEstimate(0, Duration.ZERO, Duration.ZERO);
}
