package io.rendercast.rtmp.server.broadcast;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import io.rendercast.rtmp.protocol.chunk.SharedChunks;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.protocol.flv.FlvVideoTags;
import io.rendercast.rtmp.protocol.message.ChunkStreams;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.server.playback.FrameSink;
import io.rendercast.rtmp.server.playback.StreamClock;
import io.rendercast.rtmp.server.playback.StreamEncoder;
import io.rendercast.rtmp.server.playback.StreamMetadata;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Sends one rendition of a broadcast (the shared encode, or a lower one) to every one of its players: each frame
 * is packaged as an FLV tag and cut into chunks once ({@link SharedChunks}), and each player that keeps up is
 * written the same bytes.
 *
 * <p>It never makes the frame thread wait: a player whose socket is above its high water mark, or whose frames
 * would reach it more than a second late, is skipped and resumes at the next key frame, and one that stays behind for longer than {@code maxBehind} is closed. The
 * frames since the last key frame are kept ({@link CachedPictures}), so that a player who joins starts at once,
 * when the broadcast joins that way. A player whose path is slower than this rendition moves to a lower one where
 * there is one ({@link RenditionChoice}), and back up once its path shows no queue for a while.
 *
 * <p>Frames are held for the server's {@code broadcastWriteDelay} and written to each player together, in one
 * write and one flush ({@link NetworkThreadWrite}): the kernel's TCP path, paid per write, is most of what a
 * player costs.
 */
final class BroadcastFanOut implements FrameSink {

    /** A viewer's ask for a key frame is passed to the shared encoder at most this often. */
    static final long KEY_FRAME_ASKED_EVERY_NANOS = 1_000_000_000L;
    /** Frames held at most, whatever the delay: a second's worth at 60 fps. */
    static final int MAX_HELD = 60;

    private final ServerBroadcast broadcast;
    private final Broadcast.Join join;
    private final long maxBehindNanos;
    private final long writeDelayMillis;
    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private final List<BroadcastPlayer> players = new ArrayList<>();
    private final CachedPictures cached = new CachedPictures();
    private final List<SharedChunks> held = new ArrayList<>(); // not yet written to the players, oldest first
    /** The number of {@code held}'s first frame: frames are numbered as they come, from 0. */
    private long heldFirst;
    /** Players handed over from another rendition, taken in at the next frame. */
    private final Queue<BroadcastPlayer> arrivals = new ConcurrentLinkedQueue<>();
    private final RenditionLadder ladder;
    private final int level;

    // Guarded by this.
    private FlvVideoCodec codec;
    private VideoEncoder encoder;
    private StreamClock clock = StreamClock.now();
    private boolean initialized;
    private long keyFrameAskedNanos = Long.MIN_VALUE / 2;
    private int width;
    private int height;
    private SharedChunks header;
    private int lastTimestamp;
    private long playersJoined;
    private long framesEncoded;
    private long framesSent;
    private long skipsToKeyFrame;
    private long playersClosedBehind;

    /**
     * @param level            this rendition's place on {@code ladder}: 0 for the shared encode
     * @param writeDelayMillis how long frames are held to be written together; 0 writes each at once
     */
    BroadcastFanOut(ServerBroadcast broadcast, RenditionLadder ladder, int level, Broadcast.Join join,
                    long maxBehindNanos, long writeDelayMillis) {
        this.broadcast = broadcast;
        this.ladder = ladder;
        this.level = level;
        this.join = join;
        this.maxBehindNanos = maxBehindNanos;
        this.writeDelayMillis = writeDelayMillis;
    }

    /** The render loop starts, encoding with {@code encoder} (null: frames go out as they are). */
    synchronized void start(FlvVideoCodec codec, VideoEncoder encoder) {
        this.codec = codec;
        this.encoder = encoder;
        this.initialized = codec == null;
        this.lastTimestamp = 0;
    }

    /**
     * The playback's clock, once its encoders are made and just before its render loop starts: the same for the
     * broadcast's own fan-out and its renditions', whose players get the same frames' stamps.
     */
    synchronized void useClock(StreamClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized long clockZeroNanos() {
        return clock.zeroNanos();
    }

    /** The bit rate this rendition is encoded at, 0 where its encoder has none. */
    private long bitrate() {
        return StreamEncoder.bitrateOf(encoder);
    }

    /**
     * The render loop stopped: what was held goes out, and the next one starts with a fresh encoder, so what was
     * kept of this one goes.
     */
    synchronized void reset() {
        writeHeld();
        arrivals.clear(); // the playback stops once every player has left
        cached.clear();
        if (header != null) {
            header.release();
            header = null;
        }
        initialized = false;
    }

    synchronized int size() {
        return players.size();
    }

    /** Whether anyone plays this rendition or is on the way to it: only then is it worth encoding. */
    synchronized boolean hasPlayers() {
        return !players.isEmpty() || !arrivals.isEmpty();
    }

    /** This rendition's counters; the broadcast counts moves between renditions. */
    synchronized BroadcastStatistics statistics() {
        return new BroadcastStatistics(playersJoined, framesEncoded, framesSent, skipsToKeyFrame,
                playersClosedBehind, 0);
    }

    /** A player moves here from another rendition; it is taken in at the next frame. */
    void arrive(BroadcastPlayer player) {
        arrivals.add(player);
    }

    /**
     * Takes in the players handed over since the last frame: each gets this rendition's header and starts at its
     * next key frame, asked for now.
     */
    synchronized void takeArrivals() {
        boolean any = false;
        for (BroadcastPlayer player; (player = arrivals.poll()) != null; ) {
            if (player.left) {
                continue;
            }
            player.arrive(bitrate());
            player.writtenThrough = heldFirst - 1;
            if (initialized) {
                sendHeader(player);
            }
            players.add(player);
            any = true;
        }
        if (any && encoder != null && initialized) {
            encoder.requestKeyFrame();
        }
    }

    /** This rendition can no longer be encoded: its players move to the one above. */
    synchronized void evacuate() {
        takeArrivals();
        long now = System.nanoTime();
        for (BroadcastPlayer player : List.copyOf(players)) {
            players.remove(player);
            player.renditions.moved(now, RenditionChoice.HIGHER);
            ladder.move(player, level - 1);
        }
    }

    /** A player joins: it gets what it needs before the first frame, and the cached pictures when there are. */
    synchronized BroadcastPlayer add(BroadcastPlayer.Owner owner, ViewerTransport viewer, int messageStreamId) {
        BroadcastPlayer player = new BroadcastPlayer(owner, viewer, messageStreamId);
        player.renditionBitrate = bitrate();
        player.writtenThrough = heldFirst - 1;
        playersJoined++;
        if (initialized) {
            sendHeader(player);
        }
        if (join == Broadcast.Join.CACHED_PICTURES && cached.startsAtKeyFrame() && player.headerSent) {
            for (SharedChunks frame : cached) {
                if (!held.contains(frame)) { // a held frame goes to every player when it is written
                    player.write(frame);
                    framesSent++;
                }
            }
        } else {
            player.waitingForKeyFrame = true;
            if (encoder != null && initialized) {
                encoder.requestKeyFrame();
            }
        }
        players.add(player);
        return player;
    }

    /** A player leaves; with {@code tellPlayer} it gets the end of the sequence, so that it shows its last frame. */
    synchronized void remove(BroadcastPlayer player, boolean tellPlayer) {
        if (!players.remove(player)) {
            return;
        }
        if (tellPlayer && player.headerSent && StreamMetadata.needsSequenceHeader(codec)) {
            ByteBuf end = StreamMetadata.sequenceEnd(alloc, codec);
            SharedChunks chunks = new SharedChunks(ChunkStreams.BROADCAST_VIDEO, MessageType.VIDEO.id(),
                    lastTimestamp, end, false);
            player.write(chunks);
            chunks.release();
        }
    }

    /** The encoder made its init data (on the frame thread): every player without it gets it now. */
    synchronized void encoderInitialized(VideoData data, int width, int height) {
        this.width = width;
        this.height = height;
        if (header != null) {
            header.release();
        }
        ByteBuf tag = StreamMetadata.sequenceHeader(alloc, codec, data);
        header = tag == null ? null : new SharedChunks(ChunkStreams.BROADCAST_VIDEO, MessageType.VIDEO.id(),
                lastTimestamp, tag, true);
        initialized = true;
        for (BroadcastPlayer player : players) {
            player.headerSent = false;
            sendHeader(player);
        }
    }

    private void sendHeader(BroadcastPlayer player) {
        player.send(StreamMetadata.onMetaData(player.viewer().alloc(), player.messageStreamId(), width, height,
                broadcast.renderRate(), codec, encoder, clock.epochMillis(), player.procedures()));
        if (header != null) {
            player.write(header);
        }
        player.headerSent = true;
    }

    /** The broadcast never holds its frame thread back: slow players are dealt with one by one. */
    @Override
    public boolean isFull() {
        return false;
    }

    @Override
    public void markGap() {
        // isFull() is never true, so the frame thread never skips a frame for the broadcast as a whole.
    }

    @Override
    public synchronized void sendFrame(VideoData frame, int timestamp) {
        takeArrivals();
        if (frame == null || frame.isEmpty()) {
            return;
        }
        if (!initialized) {
            broadcast.countDropped(); // before the sequence header no player could decode it
            return;
        }
        ByteBuf tag = alloc.directBuffer(frame.size() + 16);
        try {
            FlvVideoTags.writeFrame(tag, codec, frame.data(), frame.keyFrame());
        } catch (RuntimeException e) {
            tag.release();
            throw e;
        }
        SharedChunks chunks = new SharedChunks(ChunkStreams.BROADCAST_VIDEO, MessageType.VIDEO.id(), timestamp, tag,
                frame.keyFrame());
        framesEncoded++;
        lastTimestamp = timestamp;
        if (join == Broadcast.Join.CACHED_PICTURES && cached.keep(chunks)) {
            chunks.retain(); // one reference for the cache, one for the frames held
        }
        held.add(chunks);
        // Held only while the next frame is due within the delay, so that none waits longer than it. The next may
        // come two intervals on, after a render that a controller's input pulled forward (Stream.requestRender):
        // at 30 fps and 100 ms, three frames a write; at 15 fps, each at once.
        long waited = timestamp - held.getFirst().timestamp(); // negative: the clock started again
        double interval = 1000 / Math.max(1, broadcast.renderRate());
        if (held.size() >= MAX_HELD || waited < 0 || waited + 2 * interval > writeDelayMillis) {
            writeHeld();
        } else {
            writeHeldTo(true);
        }
    }

    /** Writes the held frames to every player that takes them, and holds none any more. */
    private void writeHeld() {
        // Controllers first, in a task of their own: the pass over every watcher below (a socket's state and a
        // path's measure each) would otherwise come before their frame is handed to the network thread.
        writeHeldTo(true);
        writeHeldTo(false);
        held.forEach(SharedChunks::release);
        heldFirst += held.size();
        held.clear();
    }

    /**
     * Writes each player (with {@code immediateOnly}, each controller) the held frames it has not been written, in
     * one task per network thread. Controllers are written every frame as it comes: the frames held to merge the
     * watchers' writes would otherwise delay the one who steers.
     */
    private void writeHeldTo(boolean immediateOnly) {
        // Only the frames someone is yet to be written: for controllers, usually the newest alone.
        int start = immediateOnly ? held.size() : 0;
        for (int p = 0; immediateOnly && p < players.size(); p++) {
            BroadcastPlayer player = players.get(p);
            if (player.immediate) {
                start = (int) Math.min(start, Math.max(0, player.writtenThrough + 1 - heldFirst));
            }
        }
        if (start >= held.size()) {
            return;
        }
        List<SharedChunks> frames = List.copyOf(held.subList(start, held.size()));
        long framesFirst = heldFirst + start;
        long heldLast = heldFirst + held.size() - 1;
        long now = System.nanoTime();
        Map<EventExecutor, NetworkThreadWrite> byThread = new IdentityHashMap<>();
        for (Iterator<BroadcastPlayer> it = players.iterator(); it.hasNext(); ) {
            BroadcastPlayer player = it.next();
            if (immediateOnly && !player.immediate) {
                continue;
            }
            int step = renditionStep(player, now);
            if (step != RenditionChoice.STAY) {
                it.remove();
                player.renditions.moved(now, step);
                ladder.move(player, level + step);
                continue;
            }
            int first = -1;
            for (int i = (int) Math.max(0, player.writtenThrough + 1 - framesFirst); i < frames.size(); i++) {
                if (offer(player, frames.get(i), now) && first < 0) {
                    first = i; // a player that takes a frame takes those after it: see offer
                }
            }
            player.writtenThrough = heldLast;
            if (first >= 0) {
                byThread.computeIfAbsent(player.viewer().executor(),
                        loop -> new NetworkThreadWrite(frames, players.size())).add(player, first);
            }
        }
        byThread.forEach((loop, write) -> write.submit(loop));
    }

    /**
     * A player's decoder needs a key frame. The encode is everyone's, so one is asked of it at most once in
     * {@link #KEY_FRAME_ASKED_EVERY_NANOS}: a viewer asking for one every frame would make every frame a key frame
     * for all; the others that ask meanwhile wait for that one or the next in the GOP.
     */
    private void keyFrameAsked(long now) {
        if (encoder != null && initialized && now - keyFrameAskedNanos > KEY_FRAME_ASKED_EVERY_NANOS) {
            keyFrameAskedNanos = now;
            encoder.requestKeyFrame();
        }
    }

    /** Whether {@code player} moves to another rendition now, and which way. */
    private int renditionStep(BroadcastPlayer player, long now) {
        if (player.closing || player.paused) {
            return RenditionChoice.STAY;
        }
        boolean lower = ladder.plays(level + 1);
        boolean higher = level > 0 && ladder.plays(level - 1);
        if (!lower && !higher) {
            return RenditionChoice.STAY; // no ladder: spare the path's measure, which offer takes every 100 ms
        }
        return player.renditions.choose(now, player.queueDelayNanos(now), lower, higher);
    }

    /**
     * Whether {@code player} is to be written this frame; counts what it skips. Of frames offered at one moment a
     * player takes none, or all from some frame on (its socket's state holds for all of them).
     */
    private boolean offer(BroadcastPlayer player, SharedChunks chunks, long now) {
        if (player.closing) {
            return false;
        }
        if (player.paused) {
            player.waitingForKeyFrame = true;
            return false;
        }
        if (player.keyFrameAsked) {
            player.keyFrameAsked = false;
            player.waitingForKeyFrame = true;
            keyFrameAsked(now);
        }
        boolean stuck = !player.writable();
        if (stuck || player.late(now, broadcast.renderRate())) {
            if (!player.waitingForKeyFrame) {
                player.waitingForKeyFrame = true;
                skipsToKeyFrame++;
            }
            player.owner.countDropped();
            if (!stuck) {
                return false; // a slow link, not a player that stopped reading: it is never closed for it
            }
            if (player.behindSinceNanos == 0) {
                player.behindSinceNanos = now;
            } else if (now - player.behindSinceNanos > maxBehindNanos) {
                player.closing = true;
                playersClosedBehind++;
                player.owner.closeBehind(player, "the player read too slowly for more than "
                        + TimeUnit.NANOSECONDS.toSeconds(maxBehindNanos) + " s to keep up with the broadcast");
            }
            return false;
        }
        player.behindSinceNanos = 0;
        if (player.waitingForKeyFrame) {
            if (!chunks.keyFrame() || !player.headerSent) {
                player.owner.countDropped();
                return false;
            }
            player.waitingForKeyFrame = false;
        }
        framesSent++;
        player.owner.countSent();
        return true;
    }
}
