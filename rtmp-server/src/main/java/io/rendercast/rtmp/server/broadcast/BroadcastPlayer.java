package io.rendercast.rtmp.server.broadcast;

import io.netty.buffer.ByteBuf;
import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.chunk.SharedChunks;
import io.rendercast.rtmp.server.transport.LinkEstimator;
import io.rendercast.rtmp.server.transport.ViewerTransport;

/**
 * One player of a broadcast: where its frames go, how far it has kept up and which rendition suits its path. Its
 * fields belong to the fan-out of the rendition it plays, under that one's lock, except {@link #setPaused}'s and
 * {@link #left}; a player moving between renditions is handed over through the next one's queue of arrivals.
 */
public final class BroadcastPlayer {

    /**
     * A player whose frames would reach it later than this is skipped to the next key frame: a watcher on a slow
     * link sees the broadcast at most about this late, and drops frames instead of falling further behind.
     */
    static final long MAX_DELAY_NANOS = 1_000_000_000L;
    static final long ESTIMATE_EVERY_NANOS = 100_000_000L;

    /** Who watches through this player: a player's stream on a connection, or a relay to an upstream server. */
    public interface Owner {
        void countSent();

        void countDropped();

        /** The player stayed behind for too long; called once, under the fan-out's lock, so it must not block. */
        void closeBehind(BroadcastPlayer player, String why);

        /** The broadcast ended or its handlers stopped it; must not block. */
        void broadcastEnded(BroadcastPlayer player);

        /** The player's path was measured, and it plays the rendition encoded at {@code bitrate} (0: unknown). */
        default void linkMeasured(LinkEstimate estimate, long bitrate) {
        }

        /** The procedures its connection answers, told to its page in onMetaData; null where not known. */
        default java.util.Set<String> procedures() {
            return null;
        }
    }

    final Owner owner;
    private final ViewerTransport viewer;
    private final int messageStreamId;
    /** The chunk size this player reads, or 0 where its transport takes whole messages; fixed at join. */
    private final int chunkSize;
    boolean headerSent;
    boolean waitingForKeyFrame;
    boolean closing;
    long behindSinceNanos;
    /** The bit rate of the rendition it plays, 0 where not known. */
    long renditionBitrate;
    /** The player left the broadcast: a fan-out it is handed to drops it. */
    volatile boolean left;
    final RenditionChoice renditions = new RenditionChoice();
    /** The path to the player; read on the fan-out's thread only. */
    private final LinkEstimator path = new LinkEstimator();
    private long estimatedAtNanos = Long.MIN_VALUE / 2;
    private long queueDelayNanos;
    volatile boolean paused;
    /** A controller's player: written each frame as it comes, never held to merge writes. */
    volatile boolean immediate;
    /** The number of the newest frame of its fan-out it was offered; on the fan-out's thread only. */
    long writtenThrough = -1;
    /** Its viewer asked for a key frame (WebRTC's PLI): its decoder cannot go on without one. */
    volatile boolean keyFrameAsked;

    BroadcastPlayer(Owner owner, ViewerTransport viewer, int messageStreamId) {
        this.owner = owner;
        this.viewer = viewer;
        this.messageStreamId = messageStreamId;
        this.chunkSize = viewer.chunkSize();
        viewer.onKeyFrameWanted(() -> keyFrameAsked = true);
    }

    /** A controller's player is written every frame at once; a watcher's, with the others'. */
    public void setImmediate(boolean immediate) {
        this.immediate = immediate;
    }

    /** A paused player is sent nothing, and resumes at the broadcast's next key frame. */
    public void setPaused(boolean paused) {
        this.paused = paused;
    }

    int messageStreamId() {
        return messageStreamId;
    }

    java.util.Set<String> procedures() {
        return owner.procedures();
    }

    ViewerTransport viewer() {
        return viewer;
    }

    /** Whether the viewer takes more now: its socket is below the high water mark. */
    boolean writable() {
        return viewer.isWritable();
    }

    /**
     * Whether what the player was sent is shown later than {@link #MAX_DELAY_NANOS}: its path's queue, measured
     * every {@link #ESTIMATE_EVERY_NANOS}, not every frame, since a fan-out asks this of thousands of players a
     * frame, and the frames its page says wait in its decoder, at {@code framesPerSecond}.
     */
    boolean late(long now, double framesPerSecond) {
        // A page that shows frames slower than they come falls behind as surely as one behind a slow path; a lower
        // rendition would not help it (renditions go by the path alone), skipping to a key frame does. The page's
        // own count, not bytes acknowledged less bytes shown: behind a relay the acknowledgements are the relay's,
        // and a decoder that holds its last frame until the next one comes would keep a skipped player skipping.
        // The count is forgotten when the page stops drawing, so a player skipping to a key frame is sent it.
        long waitingNanos = (long) (viewer.framesWaitingInViewer() * 1e9 / Math.max(1, framesPerSecond));
        return queueDelayNanos(now) + waitingNanos > MAX_DELAY_NANOS;
    }

    /** How long what the player was sent waits on the way, as measured within the last 100 ms. */
    long queueDelayNanos(long now) {
        if (now - estimatedAtNanos >= ESTIMATE_EVERY_NANOS) {
            estimatedAtNanos = now;
            LinkEstimate estimate = path.update(viewer.linkSample());
            queueDelayNanos = estimate.queueDelay().toNanos();
            owner.linkMeasured(estimate, renditionBitrate);
        }
        return queueDelayNanos;
    }

    /** The player comes to another rendition: it starts there from that one's header and next key frame. */
    void arrive(long bitrate) {
        renditionBitrate = bitrate;
        headerSent = false;
        waitingForKeyFrame = true;
        behindSinceNanos = 0;
    }

    /** The chunk size this player reads, or 0 where its transport takes whole messages. */
    int chunkSize() {
        return chunkSize;
    }

    /** Writes the shared chunks; only a reference and a duplicate are this player's own. */
    void write(SharedChunks chunks) {
        if (chunkSize > 0) {
            viewer.writeChunked(chunks.chunksFor(viewer.alloc(), chunkSize, messageStreamId), true);
        } else {
            viewer.send(chunks.messageFor(messageStreamId));
        }
    }

    /** Writes bytes already chunked at this player's chunk size and stream, taking over one reference. */
    void writeChunked(ByteBuf chunked, boolean flush) {
        viewer.writeChunked(chunked, flush);
    }

    /** Writes a message of this player's own, such as its {@code onMetaData}. */
    void send(RawMessage message) {
        viewer.send(message);
    }
}
