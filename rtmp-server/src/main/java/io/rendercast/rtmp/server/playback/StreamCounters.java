package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.StreamStatistics;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A player's own stream's counters, behind its {@link StreamStatistics}: counted on its frame and render threads,
 * read on any; frames sent and dropped count for its connection too.
 */
final class StreamCounters {

    private final StreamOwner owner;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong rendersReplaced = new AtomicLong();

    StreamCounters(StreamOwner owner) {
        this.owner = owner;
    }

    void frameSent() {
        framesSent.incrementAndGet();
        owner.frameSent();
    }

    void frameDropped() {
        framesDropped.incrementAndGet();
        owner.frameDropped();
    }

    void renderReplaced() {
        rendersReplaced.incrementAndGet();
    }

    StreamStatistics statistics() {
        return new StreamStatistics(framesSent.get(), framesDropped.get(), rendersReplaced.get());
    }
}
