package io.rendercast.rtmp.server.playback;

import io.rendercast.video.VideoData;
import java.util.function.Consumer;

/**
 * The {@code out} a frame handler is given: one per playback, reused for every call so that it allocates
 * nothing. It takes one frame per call, on the frame thread, while the handler runs, and stamps it with the
 * render tick of the call; anything else is refused with an {@link IllegalStateException}.
 */
final class FrameOut implements Consumer<VideoData> {

    private final PlaybackSource stream;
    private final FrameSink sender;
    // Written by the frame thread; another thread reading a stale value is refused all the same.
    private Thread owner;
    private boolean open;
    private boolean used;
    private boolean discard;
    private int timestamp;

    FrameOut(PlaybackSource stream, FrameSink sender) {
        this.stream = stream;
        this.sender = sender;
    }

    /** A handler call begins on this thread, for the render stamped {@code timestamp}. */
    void open(int timestamp, boolean discard) {
        this.owner = Thread.currentThread();
        this.timestamp = timestamp;
        this.discard = discard;
        this.used = false;
        this.open = true;
    }

    /** The handler returned. */
    void close() {
        open = false;
        owner = null;
    }

    @Override
    public void accept(VideoData frame) {
        if (Thread.currentThread() != owner || !open) {
            throw new IllegalStateException("a frame handler's out takes frames only on the stream's frame thread, "
                    + "while the handler runs");
        }
        if (used) {
            throw new IllegalStateException("a frame handler's out takes one frame per call");
        }
        used = true;
        if (discard) {
            stream.countDropped(); // the player is behind: the handler was told so
        } else {
            sender.sendFrame(frame, timestamp);
        }
    }
}
