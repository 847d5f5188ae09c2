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

    boolean isBehind() {
        return behindSinceNanos != 0;
    }

    /** On the frame thread: checks on the player; when it is behind, the sink is told of the gap and it is counted. */
    Player check() {
        if (!sender.isFull()) {
            behindSinceNanos = 0;
            return Player.KEEPS_UP;
        }
        sender.markGap();
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
