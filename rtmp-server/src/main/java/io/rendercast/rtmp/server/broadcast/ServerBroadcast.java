package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ControlPolicy;
import io.rendercast.rtmp.PlayHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.StreamStatistics;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.common.HandlerCalls;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.playback.CodecChoice;
import io.rendercast.rtmp.server.playback.PlaybackContext;
import io.rendercast.rtmp.server.playback.PlaybackSource;
import io.rendercast.rtmp.server.playback.StreamClock;
import io.rendercast.rtmp.server.playback.StreamEncoder;
import io.rendercast.rtmp.server.playback.StreamPlayback;
import io.rendercast.rtmp.server.playback.StreamSettings;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.RgbaCanvas;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A broadcast: one stream whose render and frame handlers run once for every player of its name. Its playback
 * runs while it has players; the first to join starts it, the last to leave stops it and flushes the encoder.
 * Players join and leave on their own connection threads, under one lock that also covers the stop, so that a
 * join never meets a half-stopped playback.
 *
 * <p>Players join the shared encode; in managed mode the lower {@link BroadcastRendition}s encode the same canvases
 * again for the players whose path is slower, and each rendition's fan-out moves its players between them.
 */
public final class ServerBroadcast implements Broadcast, RenditionLadder {

    private static final System.Logger LOG = System.getLogger(ServerBroadcast.class.getName());

    /** The {@code out} a broadcast's play handler gets: it has no one player to send to. */
    private static final Consumer<VideoData> NOTHING_TO_SEND = data -> {
        throw new IllegalStateException("a broadcast's play handler sends nothing: it has no one player");
    };

    private final Broadcasts registry;
    private final String app;
    private final String streamName;
    private final PlaybackContext context;
    private final RtmpServerOptions options;
    private final Join join;
    private final BroadcastFanOut fanOut;
    private final AtomicLong framesDropped = new AtomicLong();
    private final AtomicLong rendersReplaced = new AtomicLong();
    private final ReentrantLock lifecycle = new ReentrantLock();
    private final SharedStream shared = new SharedStream();
    private final List<Relay> relays = new CopyOnWriteArrayList<>();
    /** Everyone who joined and has not left, whichever rendition they play or move to. */
    private final Set<BroadcastPlayer> members = ConcurrentHashMap.newKeySet();
    private final AtomicLong renditionSwitches = new AtomicLong();
    private final BroadcastControl control;
    private volatile CodecChoice codec = CodecChoice.NONE;
    /** The lower renditions, highest first; replaced, never changed, and only while no playback runs. */
    private volatile List<BroadcastRendition> renditions = List.of();
    /** Whether the running playback encodes the lower renditions: only in managed mode. */
    private volatile boolean renditionsPlay;
    // Guarded by lifecycle.
    private StreamPlayback playback;
    private boolean closed;

    ServerBroadcast(Broadcasts registry, String app, String streamName, Join join, PlaybackContext context) {
        this.registry = registry;
        this.app = app;
        this.streamName = streamName;
        this.context = context;
        this.options = context.options();
        this.join = join;
        this.fanOut = newFanOut(0);
        this.control = new BroadcastControl(this, context.metrics()::controlChanged);
    }

    private BroadcastFanOut newFanOut(int level) {
        return new BroadcastFanOut(this, this, level, join, options.maxBehind().toNanos(),
                options.broadcastWriteDelay().toMillis());
    }

    /** The codec players must be able to play, or null when frames go out as the frame handler makes them. */
    public FlvVideoCodec codec() {
        return codec.codec();
    }

    double renderRate() {
        return shared.renderRate();
    }

    void countDropped() {
        framesDropped.incrementAndGet();
    }

    /**
     * A player joins, on its connection thread; the playback starts with the first. Returns null, with nothing
     * sent, when the broadcast has ended or its play handler refused to start.
     */
    public BroadcastPlayer join(BroadcastPlayer.Owner owner, ViewerTransport viewer, int messageStreamId) {
        lifecycle.lock();
        try {
            if (closed || (playback == null && !startPlayback())) {
                return null;
            }
            BroadcastPlayer player = fanOut.add(owner, viewer, messageStreamId);
            members.add(player);
            return player;
        } finally {
            lifecycle.unlock();
        }
    }

    /** A player leaves, on its connection thread; the playback stops with the last. */
    public void leave(BroadcastPlayer player, boolean tellPlayer) {
        lifecycle.lock();
        try {
            if (!members.remove(player)) {
                return;
            }
            player.left = true; // so that a rendition it is being handed to drops it
            fanOut.remove(player, tellPlayer);
            renditions.forEach(rendition -> rendition.fanOut().remove(player, tellPlayer));
            if (members.isEmpty() && playback != null) {
                stopPlayback();
            }
        } finally {
            lifecycle.unlock();
        }
    }

    private boolean startPlayback() {
        PlayHandler play = shared.playHandler();
        if (play != null && !HandlerCalls.call(this, "play handler", () -> play.handle(true, shared, NOTHING_TO_SEND),
                false)) {
            return false;
        }
        CodecChoice chosen = codec;
        fanOut.start(chosen.codec(), chosen.encoder());
        startRenditions(chosen);
        // One clock for every rendition, read once their encoders are made: the render loop ticks from it.
        StreamClock clock = StreamClock.now();
        fanOut.useClock(clock);
        renditions.forEach(rendition -> rendition.useClock(clock));
        playback = new StreamPlayback(shared, fanOut, "broadcast-" + app + "-" + streamName, options.maxBehind(),
                context.renderBudget());
        playback.start();
        LOG.log(System.Logger.Level.INFO, "{0}: rendering for its first player", this);
        return true;
    }

    /** The lower renditions start with the playback, each with an encoder of its own, in managed mode only. */
    private void startRenditions(CodecChoice chosen) {
        List<BroadcastRendition> lower = renditions;
        renditionsPlay = false;
        if (lower.isEmpty()) {
            return;
        }
        if (shared.canvasRendering() == null || chosen.encoder() == null) {
            LOG.log(System.Logger.Level.WARNING, "{0}: its {1} lower renditions do not play: the server encodes them "
                    + "from managed canvases, and this broadcast's frame handler encodes its own frames",
                    this, lower.size());
            return;
        }
        for (BroadcastRendition rendition : lower) {
            rendition.start(chosen.codec(), chosen.encoder(), context.encoders());
        }
        renditionsPlay = true;
    }

    private void stopPlayback() {
        StreamPlayback ended = playback;
        playback = null;
        boolean frameThreadDone = ended.stop(options.stopTimeout());
        StreamEncoder encoder = codec.encoder();
        if (encoder != null) {
            encoder.flushAtStop(ended, frameThreadDone, this); // no one is left to send what it held to
        }
        fanOut.reset();
        renditionsPlay = false;
        renditions.forEach(rendition -> rendition.stop(ended, frameThreadDone));
        PlayHandler play = shared.playHandler();
        if (play != null) {
            HandlerCalls.call(this, "play handler on stop", () -> play.handle(false, shared, NOTHING_TO_SEND), false);
        }
        LOG.log(System.Logger.Level.INFO, "{0}: idle, its last player left", this);
    }

    // ---- Broadcast ----

    @Override
    public String app() {
        return app;
    }

    @Override
    public String streamName() {
        return streamName;
    }

    @Override
    public Stream stream() {
        return shared;
    }

    @Override
    public int players() {
        return members.size();
    }

    @Override
    public void addRendition(long bitrate) {
        if (bitrate <= 0) {
            throw new IllegalArgumentException("a rendition's bit rate must be positive, not " + bitrate);
        }
        lifecycle.lock();
        try {
            if (closed) {
                throw new IllegalStateException(this + " has ended");
            }
            if (playback != null) {
                throw new IllegalStateException("renditions of " + this + " can only be added while no one watches");
            }
            List<Long> bitrates = new ArrayList<>(renditions.stream().map(BroadcastRendition::bitrate).toList());
            bitrates.add(bitrate);
            bitrates.sort(Comparator.reverseOrder());
            List<BroadcastRendition> lower = new ArrayList<>();
            for (long each : bitrates) {
                lower.add(new BroadcastRendition(each, newFanOut(lower.size() + 1), this));
            }
            renditions = List.copyOf(lower);
        } finally {
            lifecycle.unlock();
        }
    }

    @Override
    public List<Rendition> renditions() {
        List<Rendition> all = new ArrayList<>();
        all.add(new Rendition(StreamEncoder.bitrateOf(codec.encoder()), fanOut.size()));
        for (BroadcastRendition rendition : renditions) {
            all.add(new Rendition(rendition.bitrate(), rendition.fanOut().size()));
        }
        return List.copyOf(all);
    }

    @Override
    public BroadcastStatistics statistics() {
        BroadcastStatistics main = fanOut.statistics();
        long sent = main.framesSent();
        long skips = main.skipsToKeyFrame();
        long closedBehind = main.playersClosedBehind();
        for (BroadcastRendition rendition : renditions) {
            BroadcastStatistics lower = rendition.fanOut().statistics();
            sent += lower.framesSent();
            skips += lower.skipsToKeyFrame();
            closedBehind += lower.playersClosedBehind();
        }
        BroadcastControl.Counts control = this.control.counts();
        return new BroadcastStatistics(main.playersJoined(), main.framesEncoded(), sent, skips, closedBehind,
                renditionSwitches.get(), control.controllers(), control.watchers(), control.changes(),
                control.callsRefused());
    }

    // ---- control ----

    /** Who steers the broadcast, for the connections that watch it. */
    public BroadcastControl control() {
        return control;
    }

    @Override
    public void registerCallHandler(String procedure, CallHandler handler) {
        control.register(procedure, handler);
    }

    @Override
    public void grantControl(Connection connection) {
        control.grant(java.util.Objects.requireNonNull(connection, "connection"));
    }

    @Override
    public void revokeControl(Connection connection) {
        control.revoke(java.util.Objects.requireNonNull(connection, "connection"));
    }

    @Override
    public List<Connection> controllers() {
        return control.controllers();
    }

    @Override
    public void setControlPolicy(ControlPolicy policy) {
        control.policy(policy);
    }

    // ---- RenditionLadder, on the frame thread ----

    @Override
    public boolean plays(int level) {
        if (level == 0) {
            return true;
        }
        List<BroadcastRendition> lower = renditions;
        return renditionsPlay && level > 0 && level <= lower.size() && lower.get(level - 1).plays();
    }

    @Override
    public void move(BroadcastPlayer player, int level) {
        int to = level;
        while (to > 0 && !plays(to)) {
            to--; // a rendition that failed since: the one above takes the player
        }
        renditionSwitches.incrementAndGet();
        (to == 0 ? fanOut : renditions.get(to - 1).fanOut()).arrive(player);
    }

    @Override
    public Relay pushTo(String url) {
        requireOpen();
        Relay relay = registry.relays().open(this, url);
        lifecycle.lock();
        try {
            if (!closed) {
                relays.add(relay);
                return relay;
            }
        } finally {
            lifecycle.unlock();
        }
        relay.close();
        throw new IllegalStateException(this + " has ended");
    }

    private void requireOpen() {
        lifecycle.lock();
        try {
            if (closed) {
                throw new IllegalStateException(this + " has ended");
            }
        } finally {
            lifecycle.unlock();
        }
    }

    /** A relay of this broadcast was closed. */
    public void relayClosed(Relay relay) {
        relays.remove(relay);
    }

    @Override
    public void close() {
        lifecycle.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            registry.remove(this);
        } finally {
            lifecycle.unlock();
        }
        List.copyOf(relays).forEach(Relay::close);
        List.copyOf(members).forEach(player -> player.owner.broadcastEnded(player));
    }

    /** The broadcast's stream, as its handlers see it and as its playback plays it. */
    private final class SharedStream extends StreamSettings implements PlaybackSource {

        // ---- PlaybackSource ----

        @Override
        public Stream stream() {
            return SharedStream.this;
        }

        @Override
        public ServerMetrics metrics() {
            return context.metrics();
        }

        @Override
        public void countDropped() {
            framesDropped.incrementAndGet();
        }

        @Override
        public void countReplaced() {
            rendersReplaced.incrementAndGet();
        }

        /** A handler asked to stop, or threw: every player gets the end, and the playback stops with the last. */
        @Override
        public void requestStop(StreamPlayback from, String why) {
            Thread.startVirtualThread(() -> {
                lifecycle.lock();
                try {
                    if (playback == from) {
                        List.copyOf(members).forEach(player -> player.owner.broadcastEnded(player));
                    }
                } finally {
                    lifecycle.unlock();
                }
            });
        }

        /** The canvas the shared encoder has just encoded, for the lower renditions that have players. */
        @Override
        public void encodeAgain(RgbaCanvas canvas, int timestamp) {
            if (renditionsPlay) {
                for (BroadcastRendition rendition : renditions) {
                    rendition.encode(canvas, timestamp);
                }
            }
        }

        @Override
        public void closeBehindPlayer(StreamPlayback from, String why) {
            // The fan-out is never full as a whole; it closes the players that stay behind one by one.
        }

        // ---- Stream ----

        @Override
        public int id() {
            return 0;
        }

        @Override
        public Connection connection() {
            return null;
        }

        @Override
        public void useCodec(String codecName) throws VideoEncoderException {
            lifecycle.lock();
            try {
                if (playback != null) {
                    throw new IllegalStateException("the codec of " + ServerBroadcast.this
                            + " can only change while no one watches");
                }
                codec = codec.replacedBy(codecName, context.encoders(), fanOut::encoderInitialized);
            } finally {
                lifecycle.unlock();
            }
        }

        @Override
        public VideoEncoder videoEncoder() {
            return codec.encoder();
        }

        @Override
        public StreamStatistics statistics() {
            BroadcastStatistics shared = fanOut.statistics();
            return new StreamStatistics(shared.framesEncoded(), framesDropped.get(), rendersReplaced.get());
        }

        @Override
        public String streamName() {
            return streamName;
        }

        @Override
        public String toString() {
            return ServerBroadcast.this.toString();
        }
    }

    /** Frees the encoder once the broadcast has ended and its players are gone. */
    void closeEncoder() {
        codec.close();
    }


    @Override
    public String toString() {
        return "broadcast '" + app + "/" + streamName + "'";
    }
}
