package io.rendercast.rtmp.server;

import io.rendercast.rtmp.server.webrtc.WebRtcPort;
import io.rendercast.rtmp.server.webrtc.WhepRequests;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.ServerCapacity;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.chunk.UnfinishedBytes;
import io.rendercast.rtmp.server.broadcast.Broadcasts;
import io.rendercast.rtmp.server.common.ServerLimits;
import io.rendercast.rtmp.server.connection.Admission;
import io.rendercast.rtmp.server.transport.ByteCounter;
import io.rendercast.rtmp.server.connection.ConnectionContext;
import io.rendercast.rtmp.server.connection.Connections;
import io.rendercast.rtmp.server.connection.RtmpPipeline;
import io.rendercast.rtmp.server.connection.ServerConnection;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.playback.PlaybackContext;
import io.rendercast.rtmp.server.playback.RenderBudget;
import io.rendercast.rtmp.server.playback.StreamEncoders;
import io.rendercast.rtmp.server.relay.UpstreamRelays;
import io.rendercast.rtmp.server.viewer.HttpRouter;
import io.rendercast.rtmp.server.viewer.PageFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The RTMP server on Netty: its lifecycle and its listeners (RTMP, RTMPS, and HTTP or HTTPS for the viewers that
 * are not RTMP), on Linux's epoll where it loads, else on NIO ({@link Transport}).
 *
 * <p>Threads: one acceptor ({@code rtmp-accept}), a few network threads ({@code rtmp-io-N}) that only decode,
 * encode and move bytes, a virtual thread per connection while its handlers have work, and two platform threads
 * per playing stream. Connections past {@code maxConnections} are closed as they are accepted.
 */
public final class NettyRtmpServer implements RtmpServer {

    private static final System.Logger LOG = System.getLogger(NettyRtmpServer.class.getName());

    private final RtmpServerOptions options;
    private final ServerLimits limits;
    private final UnfinishedBytes unfinishedBytes;
    private final ServerMetrics metrics;
    private final Broadcasts broadcasts;
    private final Connections connections;
    private final RtmpPipeline rtmp;
    private final Transport transport = Transport.choose();
    private final StreamEncoders encoders;
    private final PageFiles pageFiles = new PageFiles();
    private final ServerHealth health;
    private Channel agentChannel;
    private java.util.concurrent.CompletableFuture<Void> drained;
    private final List<ConnectHandler> connectHandlers = new CopyOnWriteArrayList<>();
    private final Object lifecycle = new Object();
    private EventLoopGroup acceptGroup;
    private EventLoopGroup ioGroup;
    private Channel serverChannel;
    private Channel httpChannel;
    private Channel rtmpsChannel;
    private volatile WebRtcPort webRtcPort;
    private final WhepRequests whep;
    private boolean started;
    private boolean closed;

    public NettyRtmpServer(RtmpServerOptions options) {
        this(options, StreamEncoders.fromProviders());
    }

    /** A server whose streams get their encoders from {@code encoders} rather than the providers found. */
    public NettyRtmpServer(RtmpServerOptions options, StreamEncoders encoders) {
        this.options = options;
        this.encoders = encoders;
        this.limits = new ServerLimits(options.maxConnections(), options.maxPlayingStreams());
        this.unfinishedBytes = new UnfinishedBytes(options.maxUnfinishedBytesInAll());
        this.metrics = new ServerMetrics(() -> limits.connections().used(), () -> limits.playingStreams().used(),
                this::bytesSent, this::bytesReceived);
        RenderBudget renderBudget = new RenderBudget(Math.max(1, Runtime.getRuntime().availableProcessors()));
        PlaybackContext playback = new PlaybackContext(options, limits.playingStreams(), renderBudget, metrics,
                encoders);
        this.broadcasts = new Broadcasts(playback, new UpstreamRelays(this::clientBootstrap, options));
        this.connections = new Connections(new ConnectionContext(options, connectHandlers, playback, broadcasts,
                metrics), new Admission(options, limits, metrics));
        this.rtmp = new RtmpPipeline(options, connections, unfinishedBytes);
        this.whep = new WhepRequests(() -> webRtcPort, connections);
        this.health = new ServerHealth(limits, options.minRenderHeadroomPercent(), connections.admission(),
                renderBudget::headroomPercent);
        metrics.watchCapacity(health::capacity);
        metrics.watchBroadcasts(broadcasts::controllers, broadcasts::watchers);
    }

    @Override
    public void start(InetSocketAddress listenAddress) throws IOException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException(closed ? "server was closed" : "server was already started");
            }
            started = true;
            acceptGroup = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("rtmp-accept"),
                    transport.ioHandlers());
            ioGroup = new MultiThreadIoEventLoopGroup(Math.max(2, Runtime.getRuntime().availableProcessors()),
                    new DefaultThreadFactory("rtmp-io"), transport.ioHandlers());
            try {
                serverChannel = listen(listenAddress, "RTMP", channel -> rtmp.init(channel, null));
            } catch (IOException e) {
                shutdownGroups();
                throw e;
            }
            LOG.log(System.Logger.Level.INFO, "RTMP server listening on {0} ({1})", listenAddress(), transport.name());
            JvmSetupLog.log(transport);
            encoders.logChoice();
        }
    }

    private long bytesSent() {
        return connections.bytesSent();
    }

    private long bytesReceived() {
        return connections.bytesReceived();
    }

    /** This server's metrics, served at {@code /metrics} on the HTTP port. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /**
     * Serves browsers and FLV players on a second port: the viewer page at {@code /}, its streams over
     * WebSocket ({@code /ws/APP/STREAM}), WebSocket-FLV ({@code /ws-flv/APP/STREAM}) and HTTP-FLV
     * ({@code /APP/STREAM.flv}). Each is a connection like an RTMP one to the application.
     */
    @Override
    public void serveFiles(java.nio.file.Path folder) {
        pageFiles.serve(folder);
    }

    @Override
    public void startHttp(InetSocketAddress address) throws IOException {
        startHttp(address, null);
    }

    @Override
    public void startHttps(InetSocketAddress address, java.nio.file.Path certificateChain,
                           java.nio.file.Path privateKey) throws IOException {
        startHttp(address, TlsContexts.forServer(certificateChain, privateKey));
    }

    private void startHttp(InetSocketAddress address, SslContext tls) throws IOException {
        synchronized (lifecycle) {
            requireStarted("HTTP", httpChannel);
            httpChannel = listen(address, tls == null ? "HTTP" : "HTTPS", channel -> {
                channel.pipeline().addLast("traffic", new ByteCounter());
                if (tls != null) {
                    channel.pipeline().addLast("tls", tls.newHandler(channel.alloc()));
                }
                channel.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("aggregator", new HttpObjectAggregator(64 * 1024)) // a browser's SDP offer: ~8 KB
                        .addLast("router", new HttpRouter(options, metrics, rtmp::open, pageFiles, health::capacity,
                                whep));
            });
            LOG.log(System.Logger.Level.INFO, "{0} viewer listening on {1}", tls == null ? "HTTP" : "HTTPS",
                    httpAddress());
        }
    }

    @Override
    public void startRtmps(InetSocketAddress address, java.nio.file.Path certificateChain,
                           java.nio.file.Path privateKey) throws IOException {
        SslContext tls = TlsContexts.forServer(certificateChain, privateKey);
        synchronized (lifecycle) {
            requireStarted("RTMPS", rtmpsChannel);
            rtmpsChannel = listen(address, "RTMPS", channel -> rtmp.init(channel, tls));
            LOG.log(System.Logger.Level.INFO, "RTMPS listening on {0}", rtmpsAddress());
        }
    }

    @Override
    public void startWebRtc(InetSocketAddress address, String candidateHost) throws IOException {
        if (candidateHost != null && (candidateHost.isBlank() || candidateHost.chars().anyMatch(Character::isWhitespace))) {
            throw new IllegalArgumentException("a WebRTC candidate host is an address or a name, got '" + candidateHost
                    + "'");
        }
        synchronized (lifecycle) {
            if (ioGroup == null || closed) {
                throw new IllegalStateException("start the server before its WebRTC port");
            }
            if (webRtcPort != null) {
                throw new IllegalStateException("the WebRTC port was already started");
            }
            WebRtcPort port = WebRtcPort.open(address, candidateHost);
            webRtcPort = port;
            metrics.watchWebRtc(port::counts);
            LOG.log(System.Logger.Level.INFO, "WebRTC (WHEP on the HTTP port) on UDP {0}{1}", webRtcAddress(),
                    candidateHost == null ? "" : ", its candidate " + candidateHost);
        }
    }

    @Override
    public InetSocketAddress webRtcAddress() {
        WebRtcPort port = webRtcPort;
        return port == null ? null : port.localAddress();
    }

    @Override
    public void startAgentCheck(InetSocketAddress address) throws IOException {
        synchronized (lifecycle) {
            requireStarted("agent check", agentChannel);
            AgentCheckHandler agent = new AgentCheckHandler(health::capacity);
            agentChannel = listen(address, "HAProxy's agent check", channel -> channel.pipeline().addLast(agent));
            LOG.log(System.Logger.Level.INFO, "agent check listening on {0}", agentCheckAddress());
        }
    }

    @Override
    public InetSocketAddress agentCheckAddress() {
        synchronized (lifecycle) {
            return agentChannel == null ? null : (InetSocketAddress) agentChannel.localAddress();
        }
    }

    @Override
    public ServerCapacity capacity() {
        return health.capacity();
    }

    @Override
    public java.util.concurrent.CompletableFuture<Void> drain(Duration deadline) {
        synchronized (lifecycle) {
            if (drained != null) {
                return drained;
            }
            drained = new java.util.concurrent.CompletableFuture<>();
            String why = "the server is draining (an upgrade or a move); connect again, to another server";
            connections.admission().drain(why);
            LOG.log(System.Logger.Level.INFO, "draining: new connections are refused; {0} connections play on for "
                    + "{1} s at most", connections.open().size(), deadline.toSeconds());
            java.util.concurrent.CompletableFuture<Void> done = drained;
            Thread.ofPlatform().name("rtmp-drain").daemon().start(() -> {
                awaitDrained(deadline, why);
                done.complete(null);
            });
            return drained;
        }
    }

    /** Waits for the players to leave until {@code deadline}, then tells each that is left, and closes it. */
    private void awaitDrained(Duration deadline, String why) {
        long end = System.nanoTime() + deadline.toNanos();
        try {
            while (!connections.open().isEmpty() && System.nanoTime() < end) {
                Thread.sleep(100);
            }
            if (!connections.open().isEmpty()) {
                LOG.log(System.Logger.Level.INFO, "drain deadline: closing the {0} connections left",
                        connections.open().size());
                for (ServerConnection connection : connections.open()) {
                    connection.closeDrained("the drain deadline passed: " + why);
                }
                long closed = System.nanoTime() + options.stopTimeout().toNanos() + Duration.ofSeconds(1).toNanos();
                while (!connections.open().isEmpty() && System.nanoTime() < closed) {
                    Thread.sleep(50);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A second port needs the server started, and may be started once. */
    private void requireStarted(String port, Channel already) {
        if (ioGroup == null || closed) {
            throw new IllegalStateException("start the server before its " + port + " port");
        }
        if (already != null) {
            throw new IllegalStateException("the " + port + " port was already started");
        }
    }

    /** Binds a port on the server's threads, each accepted channel set up by {@code init}. */
    private Channel listen(InetSocketAddress address, String what, Consumer<SocketChannel> init) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptGroup, ioGroup)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 256)
                .childOption(ChannelOption.TCP_NODELAY, true)
                // Netty 4.2's default (adaptive) allocator costs about 2 KiB of garbage per decoded message;
                // the pooled one allocates nothing (see ChunkCodecBenchmark).
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(options.writeBufferLowBytes(), options.writeBufferHighBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        init.accept(channel);
                    }
                });
        transport.configure(bootstrap);
        try {
            return bootstrap.bind(address).sync().channel();
        } catch (Exception e) {
            throw new IOException("cannot listen for " + what + " on " + address + ": " + e.getMessage(), e);
        }
    }

    @Override
    public InetSocketAddress rtmpsAddress() {
        synchronized (lifecycle) {
            return rtmpsChannel == null ? null : (InetSocketAddress) rtmpsChannel.localAddress();
        }
    }

    @Override
    public InetSocketAddress httpAddress() {
        synchronized (lifecycle) {
            return httpChannel == null ? null : (InetSocketAddress) httpChannel.localAddress();
        }
    }

    @Override
    public InetSocketAddress listenAddress() {
        synchronized (lifecycle) {
            return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
        }
    }

    /** A bootstrap for the server's own outgoing connections (relays), on its network threads. */
    private Bootstrap clientBootstrap() {
        synchronized (lifecycle) {
            if (ioGroup == null || closed) {
                throw new IllegalStateException("relays run on the server's network threads: start the server first");
            }
            return new Bootstrap().group(ioGroup).channel(transport.clientChannel());
        }
    }

    @Override
    public Broadcast startBroadcast(String app, String streamName, Broadcast.Join join) {
        synchronized (lifecycle) {
            if (closed) {
                throw new IllegalStateException("the server is closed");
            }
            return broadcasts.start(app, streamName, join);
        }
    }

    @Override
    public void addConnectHandler(ConnectHandler handler) {
        if (handler == null) {
            throw new NullPointerException("connect handler");
        }
        synchronized (connectHandlers) {
            if (!connectHandlers.contains(handler)) {
                connectHandlers.add(handler);
            }
        }
    }

    @Override
    public void removeConnectHandler(ConnectHandler handler) {
        connectHandlers.remove(handler);
    }

    /** The bytes all connections hold in unfinished messages, and the most they may. */
    public UnfinishedBytes unfinishedBytes() {
        return unfinishedBytes;
    }

    /** Server-wide limits and how much of each is used now. */
    public ServerLimits limits() {
        return limits;
    }

    /** The connections open now (for tests and statistics). */
    public Set<ServerConnection> connections() {
        return connections.open();
    }

    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (serverChannel != null) {
                serverChannel.close().syncUninterruptibly();
            }
            if (httpChannel != null) {
                httpChannel.close().syncUninterruptibly();
            }
            if (rtmpsChannel != null) {
                rtmpsChannel.close().syncUninterruptibly();
            }
            if (agentChannel != null) {
                agentChannel.close().syncUninterruptibly();
            }
            if (webRtcPort != null) {
                webRtcPort.close();
            }
            for (ServerConnection connection : connections.open()) {
                connection.close();
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            for (ServerConnection connection : connections.open()) {
                connection.awaitTermination(Math.max(0, deadline - System.nanoTime()));
            }
            broadcasts.closeAll();
            shutdownGroups();
        }
    }

    private void shutdownGroups() {
        for (EventLoopGroup group : new EventLoopGroup[] {acceptGroup, ioGroup}) {
            if (group != null) {
                group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }
}
