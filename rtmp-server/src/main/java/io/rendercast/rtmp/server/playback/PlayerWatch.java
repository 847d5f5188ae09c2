package io.rendercast.rtmp.server.playback;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether a playback's player keeps up, as its frame thread finds once a frame: a full frame sink means it is
 * behind, so nothing is encoded for it, and behind for longer than allowed means it is gone. The render thread
 * reads {@link #isBehind()} to idle while nothing it draws would be encoded.
 */
final class PlayerWatch {

    enum Player {
        KEEPS_UP,
        /** Its out-queue is full: nothing is encoded for it. */
        BEHIND,
        /** Behind for longer than allowed: the playback ends. */
        GONE
    }

    private final FrameSink sender;
    private final PlaybackSource source;
    private final long maxBehindNanos;
    /** When the player fell behind, or 0 while it keeps up; written by the frame thread only. */
    private volatile long behindSinceNanos;

    PlayerWatch(FrameSink sender, PlaybackSource source, Duration maxBehind) {
        this.sender = sender;
        this.source = source;
        this.maxBehindNanos = maxBehind.toNanos();
    }

    /** The player missed a frame that was, or may have been, encoded: it is to resume at a key frame. */
    void markGap() {
        sender.markGap();
    }

    boolean isBehind() {
        return behindSinceNanos != 0;
    }

    /**
     * On the frame thread: checks on the player; when it is behind, the tick is counted as dropped. The sink is not
     * told of a gap here: in managed mode nothing reaches the encoder while the player is behind, so the frames that
     * follow still refer to the last one sent, and a key frame (the biggest frame there is, to a player that is
     * already behind) would only refill its queue. An application's frame handler may have encoded the frame it was
     * told not to send, so that path marks the gap itself.
     */
    Player check() {
        if (!sender.isFull()) {
            behindSinceNanos = 0;
            return Player.KEEPS_UP;
        }
        source.countDropped();
        source.metrics().outQueueFull();
        long now = System.nanoTime();
        if (behindSinceNanos == 0) {
            behindSinceNanos = now;
            return Player.BEHIND;
        }
        return now - behindSinceNanos <= maxBehindNanos ? Player.BEHIND : Player.GONE;
    }

    /** Why a player found {@link Player#GONE} is closed. */
    String whyGone() {
        return "the player read nothing for more than " + TimeUnit.NANOSECONDS.toSeconds(maxBehindNanos)
                + " s while frames waited for it";
    }
}
