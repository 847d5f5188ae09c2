package io.rendercast.rtmp;

import java.time.Duration;

/**
 * A server's settings: its limits, timeouts and buffer sizes. Every field is checked when the options are
 * made, and a bad value fails with an {@link IllegalArgumentException} that names the field, the value and
 * what is allowed.
 *
 * <p>Options are made only by a {@link Builder}, never by a constructor, so that a new setting can be added
 * with a default without breaking any caller.
 *
 * <pre>{@code
 * RtmpServer server = RtmpServer.create(RtmpServerOptions.builder().maxConnections(200).build());
 * }</pre>
 */
public final class RtmpServerOptions {
    private final Duration handshakeTimeout;
    private final int chunkSize;
    private final int windowAckSize;
    private final int outQueueFrames;
    private final int writeBufferLowBytes;
    private final int writeBufferHighBytes;
    private final int maxConnections;
    private final int maxPlayingStreams;
    private final int minRenderHeadroomPercent;
    private final int maxStreamsPerConnection;
    private final int maxPendingCommands;
    private final Duration pingInterval;
    private final Duration pingTimeout;
    private final Duration callTimeout;
    private final int maxPendingCalls;
    private final Duration stopTimeout;
    private final int maxMessageBytes;
    private final int maxChunkStreams;
    private final int maxUnfinishedBytes;
    private final long maxUnfinishedBytesInAll;
    private final Duration maxBehind;
    private final int maxConnectionsPerAddress;
    private final int maxClientChunkSize;
    private final int maxAmfDepth;
    private final Duration broadcastWriteDelay;

    private RtmpServerOptions(Builder b) {
        handshakeTimeout = b.handshakeTimeout;
        chunkSize = b.chunkSize;
        windowAckSize = b.windowAckSize;
        outQueueFrames = b.outQueueFrames;
        writeBufferLowBytes = b.writeBufferLowBytes;
        writeBufferHighBytes = b.writeBufferHighBytes;
        maxConnections = b.maxConnections;
        maxPlayingStreams = b.maxPlayingStreams;
        minRenderHeadroomPercent = b.minRenderHeadroomPercent;
        maxStreamsPerConnection = b.maxStreamsPerConnection;
        maxPendingCommands = b.maxPendingCommands;
        pingInterval = b.pingInterval;
        pingTimeout = b.pingTimeout;
        callTimeout = b.callTimeout;
        maxPendingCalls = b.maxPendingCalls;
        stopTimeout = b.stopTimeout;
        maxMessageBytes = b.maxMessageBytes;
        maxChunkStreams = b.maxChunkStreams;
        maxUnfinishedBytes = b.maxUnfinishedBytes;
        maxUnfinishedBytesInAll = b.maxUnfinishedBytesInAll;
        maxBehind = b.maxBehind;
        maxConnectionsPerAddress = b.maxConnectionsPerAddress;
        maxClientChunkSize = b.maxClientChunkSize;
        maxAmfDepth = b.maxAmfDepth;
        broadcastWriteDelay = b.broadcastWriteDelay;
        positive("handshakeTimeout", handshakeTimeout);
        within("chunkSize", chunkSize, 128, 65536);
        within("windowAckSize", windowAckSize, 4096, Integer.MAX_VALUE);
        within("outQueueFrames", outQueueFrames, 1, 1024);
        within("writeBufferLowBytes", writeBufferLowBytes, 1, Integer.MAX_VALUE);
        within("writeBufferHighBytes", writeBufferHighBytes, 1, Integer.MAX_VALUE);
        if (writeBufferLowBytes > writeBufferHighBytes) {
            throw new IllegalArgumentException("writeBufferLowBytes (" + writeBufferLowBytes
                    + ") must not be above writeBufferHighBytes (" + writeBufferHighBytes + ")");
        }
        within("maxConnections", maxConnections, 1, Integer.MAX_VALUE);
        within("maxPlayingStreams", maxPlayingStreams, 1, Integer.MAX_VALUE);
        within("minRenderHeadroomPercent", minRenderHeadroomPercent, 0, 99);
        within("maxStreamsPerConnection", maxStreamsPerConnection, 1, 65535);
        within("maxPendingCommands", maxPendingCommands, 1, Integer.MAX_VALUE);
        positive("pingInterval", pingInterval);
        positive("pingTimeout", pingTimeout);
        if (pingTimeout.compareTo(pingInterval) <= 0) {
            throw new IllegalArgumentException("pingTimeout (" + pingTimeout + ") must be longer than pingInterval ("
                    + pingInterval + "), or a client that answers every ping would still be closed");
        }
        positive("callTimeout", callTimeout);
        within("maxPendingCalls", maxPendingCalls, 1, Integer.MAX_VALUE);
        positive("stopTimeout", stopTimeout);
        within("maxMessageBytes", maxMessageBytes, 128, 0xFFFFFF);
        within("maxChunkStreams", maxChunkStreams, 1, 65536);
        within("maxUnfinishedBytes", maxUnfinishedBytes, 128, Integer.MAX_VALUE);
        positive("maxBehind", maxBehind);
        within("maxConnectionsPerAddress", maxConnectionsPerAddress, 1, Integer.MAX_VALUE);
        within("maxClientChunkSize", maxClientChunkSize, 128, Integer.MAX_VALUE);
        within("maxAmfDepth", maxAmfDepth, 1, 1024);
        if (broadcastWriteDelay == null || broadcastWriteDelay.isNegative()
                || broadcastWriteDelay.compareTo(Duration.ofSeconds(1)) > 0) {
            throw new IllegalArgumentException("broadcastWriteDelay must be in [0, 1 s], got " + broadcastWriteDelay);
        }
        if (maxUnfinishedBytesInAll < maxUnfinishedBytes) {
            throw new IllegalArgumentException("maxUnfinishedBytesInAll (" + maxUnfinishedBytesInAll
                    + ") must be at least maxUnfinishedBytes (" + maxUnfinishedBytes + ")");
        }
    }

    /** The defaults: suited to players on a LAN or the internet. */
    public static RtmpServerOptions defaults() {
        return builder().build();
    }

    /** A builder that starts from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder that starts from these options. */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** A client that has not finished the handshake by then is closed. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** The chunk size the server sends with (announced with Set Chunk Size), 128 to 65536. */
    public int chunkSize() {
        return chunkSize;
    }

    /**
     * The acknowledgement window announced to clients, in bytes (32 KiB by default): a player acknowledges each
     * window it receives, which is how the server measures the path to it and adapts the stream's bit rate. A
     * window is about 0.2 s at 1.5 Mbit/s; a larger one makes that measure coarser.
     */
    public int windowAckSize() {
        return windowAckSize;
    }

    /** Frames written to one player but not yet on the wire before it counts as behind. */
    public int outQueueFrames() {
        return outQueueFrames;
    }

    /** A player behind since its buffer went above the high mark counts as caught up once below this. */
    public int writeBufferLowBytes() {
        return writeBufferLowBytes;
    }

    /** Unsent bytes of one connection above which its player counts as behind. */
    public int writeBufferHighBytes() {
        return writeBufferHighBytes;
    }

    /** Connections open at once, server-wide; past it a new socket is closed at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Streams playing at once, server-wide; past it play fails with a status. */
    public int maxPlayingStreams() {
        return maxPlayingStreams;
    }

    /**
     * The least share of the server's render turns (one per core) that must have gone unused over the last second
     * for it to start rendering one more stream; below it, play fails with a status that says to try again, and
     * the server calls itself full ({@link RtmpServer#capacity()}), so that a balancer sends newcomers elsewhere
     * before every player here slows. 0, the default, turns it off: only {@link #maxPlayingStreams()} limits.
     */
    public int minRenderHeadroomPercent() {
        return minRenderHeadroomPercent;
    }

    /** Streams one connection may create. */
    public int maxStreamsPerConnection() {
        return maxStreamsPerConnection;
    }

    /** Commands of one connection waiting for its handlers before it is closed. */
    public int maxPendingCommands() {
        return maxPendingCommands;
    }

    /** How often clients are pinged, to measure the round-trip time and see they live. */
    public Duration pingInterval() {
        return pingInterval;
    }

    /**
     * A client from which no whole message came for this long (an answer to a ping counts) is closed: one that
     * dribbles bytes and finishes nothing, too.
     */
    public Duration pingTimeout() {
        return pingTimeout;
    }

    /** How long a call from the server waits for the client's answer. */
    public Duration callTimeout() {
        return callTimeout;
    }

    /** Calls from the server to one client waiting for answers at once. */
    public int maxPendingCalls() {
        return maxPendingCalls;
    }

    /**
     * How long a stop waits for a render or frame handler to return before it gives up on it (nothing is sent
     * for that stream after the stop either way).
     */
    public Duration stopTimeout() {
        return stopTimeout;
    }

    /** The largest message a client may send. */
    public int maxMessageBytes() {
        return maxMessageBytes;
    }

    /** Chunk streams one client may use at once. */
    public int maxChunkStreams() {
        return maxChunkStreams;
    }

    /**
     * Bytes one client may hold in messages not yet whole (a message's buffer grows as its bytes arrive, so
     * announcing a large one costs nothing by itself).
     */
    public int maxUnfinishedBytes() {
        return maxUnfinishedBytes;
    }

    /** Bytes all clients together may hold in messages not yet whole. */
    public long maxUnfinishedBytesInAll() {
        return maxUnfinishedBytesInAll;
    }

    /** How long a player may stay behind (its out-queue full) before it is closed with a status saying so. */
    public Duration maxBehind() {
        return maxBehind;
    }

    /** Connections open at once from one IP address. */
    public int maxConnectionsPerAddress() {
        return maxConnectionsPerAddress;
    }

    /** The largest chunk size a client may announce (Set Chunk Size), 128 to 2^31-1. */
    public int maxClientChunkSize() {
        return maxClientChunkSize;
    }

    /** The deepest nesting of AMF objects and arrays accepted in a client's command. */
    public int maxAmfDepth() {
        return maxAmfDepth;
    }

    /**
     * How long a broadcast may hold a frame to write it to each player together with the next ones (a frame is
     * held only while the next is due within it): a write per player per frame costs the kernel's TCP path each
     * time, so fewer, larger writes send a broadcast for less CPU per byte, at that much more latency to its
     * players (SRS's merged writes); zero writes each frame at once. Players of their own stream, who steer it,
     * are never held back.
     */
    public Duration broadcastWriteDelay() {
        return broadcastWriteDelay;
    }

    private static void positive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be a positive duration, got " + value);
        }
    }

    private static void within(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** Builds {@link RtmpServerOptions}; each setter's name is the field's. Checked in {@link #build()}. */
    public static final class Builder {
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int chunkSize = 4096;
        private int windowAckSize = 32 << 10;
        private int outQueueFrames = 8;
        private int writeBufferLowBytes = 512 * 1024;
        private int writeBufferHighBytes = 2 * 1024 * 1024;
        private int maxConnections = 10_000;
        private int maxPlayingStreams = 256;
        private int minRenderHeadroomPercent = 0;
        private int maxStreamsPerConnection = 16;
        private int maxPendingCommands = 256;
        private Duration pingInterval = Duration.ofSeconds(5);
        private Duration pingTimeout = Duration.ofSeconds(30);
        private Duration callTimeout = Duration.ofSeconds(30);
        private int maxPendingCalls = 1024;
        private Duration stopTimeout = Duration.ofSeconds(5);
        private int maxMessageBytes = 4 << 20;
        private int maxChunkStreams = 64;
        private int maxUnfinishedBytes = 8 << 20;
        private long maxUnfinishedBytesInAll = 256L << 20;
        private Duration maxBehind = Duration.ofSeconds(20);
        private int maxConnectionsPerAddress = 1000;
        private int maxClientChunkSize = 1 << 24;
        private int maxAmfDepth = 32;
        private Duration broadcastWriteDelay = Duration.ofMillis(100);

        private Builder() {
        }

        private Builder(RtmpServerOptions o) {
            handshakeTimeout = o.handshakeTimeout;
            chunkSize = o.chunkSize;
            windowAckSize = o.windowAckSize;
            outQueueFrames = o.outQueueFrames;
            writeBufferLowBytes = o.writeBufferLowBytes;
            writeBufferHighBytes = o.writeBufferHighBytes;
            maxConnections = o.maxConnections;
            maxPlayingStreams = o.maxPlayingStreams;
            minRenderHeadroomPercent = o.minRenderHeadroomPercent;
            maxStreamsPerConnection = o.maxStreamsPerConnection;
            maxPendingCommands = o.maxPendingCommands;
            pingInterval = o.pingInterval;
            pingTimeout = o.pingTimeout;
            callTimeout = o.callTimeout;
            maxPendingCalls = o.maxPendingCalls;
            stopTimeout = o.stopTimeout;
            maxMessageBytes = o.maxMessageBytes;
            maxChunkStreams = o.maxChunkStreams;
            maxUnfinishedBytes = o.maxUnfinishedBytes;
            maxUnfinishedBytesInAll = o.maxUnfinishedBytesInAll;
            maxBehind = o.maxBehind;
            maxConnectionsPerAddress = o.maxConnectionsPerAddress;
            maxClientChunkSize = o.maxClientChunkSize;
            maxAmfDepth = o.maxAmfDepth;
            broadcastWriteDelay = o.broadcastWriteDelay;
        }

        public Builder handshakeTimeout(Duration value) {
            handshakeTimeout = value;
            return this;
        }

        public Builder chunkSize(int value) {
            chunkSize = value;
            return this;
        }

        public Builder windowAckSize(int value) {
            windowAckSize = value;
            return this;
        }

        public Builder outQueueFrames(int value) {
            outQueueFrames = value;
            return this;
        }

        /** Both marks of a connection's unsent bytes. */
        public Builder writeBuffer(int lowBytes, int highBytes) {
            writeBufferLowBytes = lowBytes;
            writeBufferHighBytes = highBytes;
            return this;
        }

        public Builder maxConnections(int value) {
            maxConnections = value;
            return this;
        }

        public Builder maxPlayingStreams(int value) {
            maxPlayingStreams = value;
            return this;
        }

        public Builder minRenderHeadroomPercent(int value) {
            minRenderHeadroomPercent = value;
            return this;
        }

        public Builder maxStreamsPerConnection(int value) {
            maxStreamsPerConnection = value;
            return this;
        }

        public Builder maxPendingCommands(int value) {
            maxPendingCommands = value;
            return this;
        }

        /** How often clients are pinged, and how long a silent one is kept. */
        public Builder pings(Duration interval, Duration timeout) {
            pingInterval = interval;
            pingTimeout = timeout;
            return this;
        }

        public Builder callTimeout(Duration value) {
            callTimeout = value;
            return this;
        }

        public Builder maxPendingCalls(int value) {
            maxPendingCalls = value;
            return this;
        }

        public Builder stopTimeout(Duration value) {
            stopTimeout = value;
            return this;
        }

        public Builder maxMessageBytes(int value) {
            maxMessageBytes = value;
            return this;
        }

        public Builder maxChunkStreams(int value) {
            maxChunkStreams = value;
            return this;
        }

        /** What one client, and all clients together, may hold in messages not yet whole. */
        public Builder maxUnfinishedBytes(int perClient, long inAll) {
            maxUnfinishedBytes = perClient;
            maxUnfinishedBytesInAll = inAll;
            return this;
        }

        public Builder maxConnectionsPerAddress(int value) {
            maxConnectionsPerAddress = value;
            return this;
        }

        public Builder maxClientChunkSize(int value) {
            maxClientChunkSize = value;
            return this;
        }

        public Builder maxAmfDepth(int value) {
            maxAmfDepth = value;
            return this;
        }

        public Builder maxBehind(Duration value) {
            maxBehind = value;
            return this;
        }

        public Builder broadcastWriteDelay(Duration value) {
            broadcastWriteDelay = value;
            return this;
        }

        /** @throws IllegalArgumentException naming the first field whose value is not allowed */
        public RtmpServerOptions build() {
            return new RtmpServerOptions(this);
        }
    }
}
