package io.rendercast.rtmp.server.webrtc;

/**
 * A congestion window, as libwebrtc keeps one: once more is on the way to the viewer (sent and not yet reported,
 * or waiting in the pacer) than the rate carries in a round trip and a little more, frames are skipped, not encoded.
 * x264 takes most of a second to come down to a new rate, and meanwhile the path's queue filled and overflowed
 * (bench network-page, the step from 6 to 1.5 Mbit/s: 2.3 Mbit/s still sent 0.7 s after the cut to 1.28, then 45 %
 * loss, 1,562 packets that could not be resent and three key frames).
 *
 * <p>What is on the way is released only by feedback on later packets: after a blackout that took the last ones,
 * none would come, and the window would stay shut (the blackout test froze so). With no feedback for
 * {@value #STALLED_NANOS} ns, a frame goes now and then to draw some, as libwebrtc's pacer sends padding.
 * Not thread-safe: its session asks under one lock.
 */
final class CongestionWindow {

    /** No feedback for this long with the window shut: a frame goes out to draw some. */
    static final long STALLED_NANOS = 500_000_000L;

    private long lastProbeNanos = Long.MIN_VALUE / 2;

    /**
     * Whether a frame may go now.
     *
     * @param onTheWay        bytes sent and not yet reported, and bytes waiting in the pacer
     * @param windowBytes     the most that may be on the way ({@link CongestionController#windowBytes})
     * @param lastReportNanos when feedback last told of a packet not told before
     */
    boolean admits(long onTheWay, long windowBytes, long lastReportNanos, long nowNanos) {
        if (onTheWay <= windowBytes) {
            return true;
        }
        if (nowNanos - lastReportNanos > STALLED_NANOS && nowNanos - lastProbeNanos > STALLED_NANOS) {
            lastProbeNanos = nowNanos;
            return true;
        }
        return false;
    }
}
