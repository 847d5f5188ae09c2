package io.rendercast.rtmp.server.transport;

/**
 * One reading of what a viewer's transport knows of its path, for a {@link LinkEstimator}.
 *
 * @param nanos             when it was read ({@link System#nanoTime()})
 * @param bytesWritten      bytes written to the viewer so far, queued or sent
 * @param bytesQueued       of those, the bytes the socket has not taken yet
 * @param bytesAcknowledged bytes the viewer received: what its TCP acknowledged (epoll's TCP_INFO), at most two
 *                          windows ahead of what it said itself (RTMP's acknowledgements), or what it said where
 *                          the TCP's are not to be had; -1 where neither is known
 * @param roundTripMicros   TCP's smoothed round trip, or 0 where the platform does not report it or the
 *                          acknowledgements time it (where {@code queueMicros} is not given)
 * @param pathRate          TCP's last measure of the rate its acknowledgements came at while it had more to send
 *                          than the path took, with a window above its least (bits a second), or -1
 * @param window            TCP's congestion window in packets, or -1 where not known
 * @param queueMicros       the queue TCP's own round trips show (its smoothed round trip beyond its least), where
 *                          {@code bytesAcknowledged} is TCP's count and the peer is not beside the server; or -1,
 *                          and the estimator times round trips from the acknowledgements itself
 */
public record LinkSample(long nanos, long bytesWritten, long bytesQueued, long bytesAcknowledged,
                         long roundTripMicros, long pathRate, long window, long queueMicros) {

    /**
     * At this window or below TCP holds itself back: BBR keeps 4 packets in flight for 200 ms and a round trip when
     * ten seconds passed without a round trip at its least (ProbeRTT), and any TCP restarts from one after a
     * timeout. The rate its acknowledgements come at then is TCP's own limit, not the path's.
     */
    public static final int LEAST_WINDOW = 4;

    /** A sample without TCP's queue. */
    public LinkSample(long nanos, long bytesWritten, long bytesQueued, long bytesAcknowledged, long roundTripMicros,
                      long pathRate, long window) {
        this(nanos, bytesWritten, bytesQueued, bytesAcknowledged, roundTripMicros, pathRate, window, -1);
    }

    /** A sample without TCP's window. */
    public LinkSample(long nanos, long bytesWritten, long bytesQueued, long bytesAcknowledged, long roundTripMicros,
                      long pathRate) {
        this(nanos, bytesWritten, bytesQueued, bytesAcknowledged, roundTripMicros, pathRate, -1);
    }

    /** A sample without TCP's rate. */
    public LinkSample(long nanos, long bytesWritten, long bytesQueued, long bytesAcknowledged, long roundTripMicros) {
        this(nanos, bytesWritten, bytesQueued, bytesAcknowledged, roundTripMicros, -1);
    }
}
