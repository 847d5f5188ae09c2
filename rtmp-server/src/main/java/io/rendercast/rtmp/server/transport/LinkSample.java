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
 *                          acknowledgements time it
 * @param pathRate          TCP's last measure of the rate its acknowledgements came at while it had more to send
 *                          than the path took (bits a second), or -1
 */
public record LinkSample(long nanos, long bytesWritten, long bytesQueued, long bytesAcknowledged,
                         long roundTripMicros, long pathRate) {

    /** A sample without TCP's rate. */
    public LinkSample(long nanos, long bytesWritten, long bytesQueued, long bytesAcknowledged, long roundTripMicros) {
        this(nanos, bytesWritten, bytesQueued, bytesAcknowledged, roundTripMicros, -1);
    }
}
