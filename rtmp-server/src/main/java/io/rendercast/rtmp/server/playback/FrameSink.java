package io.rendercast.rtmp.server.playback;

import io.rendercast.video.VideoData;

/** Where a playback's frames go: one player ({@link VideoSender}) or every player of a broadcast. */
public interface FrameSink {

    /**
     * Once a frame, before {@link #isFull()}: a sink that serves one player sets the encoder's bit rate to what
     * the player's path carries. A broadcast's, whose encoder serves every player, does nothing.
     */
    default void adaptBitrate() {
    }

    /**
     * When timestamp 0 falls, on {@link System#nanoTime}'s clock ({@link StreamClock}): the render loop ticks from
     * it, so that a frame's stamp on the clock its players were told is when it was rendered. Ticking from the loop's
     * own start put every frame 1 to 13 ms earlier than it was, and glass to glass as much longer.
     */
    long clockZeroNanos();

    /** Whether nothing should be encoded now, because it could not be sent. */
    boolean isFull();

    /**
     * Once a frame the canvas is managed, before it is encoded: whether to leave this one out, the player's TCP
     * holding itself back for a moment. A frame handler's frames are never left out: the next would have to be a
     * key frame.
     */
    default boolean leavesOutFrame() {
        return false;
    }

    /** A frame was skipped: the next one sent must be a key frame. */
    void markGap();

    /** Sends a frame the frame handler made, stamped {@code timestamp}; copies what it keeps. */
    void sendFrame(VideoData frame, int timestamp);
}
