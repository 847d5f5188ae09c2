package io.rendercast.rtmp.server.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.chunk.ChunkDecoder;
import io.rendercast.rtmp.protocol.chunk.ChunkEncoder;
import io.rendercast.rtmp.protocol.handshake.ClientHandshakeHandler;
import io.rendercast.rtmp.server.broadcast.BroadcastPlayer;
import io.rendercast.rtmp.server.broadcast.ServerBroadcast;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.transport.ByteCounter;
import io.rendercast.rtmp.server.transport.ChannelTransport;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Pushes a broadcast to an upstream RTMP server, and keeps pushing: each connection does the handshake, publishes
 * ({@link RelaySessionHandler}), and once the upstream says {@code NetStream.Publish.Start} joins the broadcast as
 * one more player. When the connection ends, for whatever reason, the relay leaves the broadcast and connects
 * again after a pause that doubles from {@value #FIRST_PAUSE_MILLIS} ms to {@value #LONGEST_PAUSE_MILLIS} ms;
 * a publish that starts resets the pause.
 */
final class BroadcastRelay implements Broadcast.Relay, BroadcastPlayer.Owner {

    private static final System.Logger LOG = System.getLogger(BroadcastRelay.class.getName());
    static final long FIRST_PAUSE_MILLIS = 500;
    static final long LONGEST_PAUSE_MILLIS = 30_000;
    private static final int DEFAULT_PORT = 1935;
    /** The chunk size the relay sends with, as ffmpeg and OBS do: small headers, and few of them. */
    static final int CHUNK_SIZE = 4096;

    private final ServerBroadcast broadcast;
    private final String url;
    private final String host;
    private final int port;
    private final String app;
    private final String streamName;
    private final Bootstrap bootstrap;
    private final RtmpServerOptions options;
    private final AtomicLong connects = new AtomicLong();
    // Guarded by this.
    private Channel channel;
    private BroadcastPlayer player;
    private long pauseMillis = FIRST_PAUSE_MILLIS;
    private boolean closed;

    /** @param bootstrap the server's network threads and transport */
    BroadcastRelay(ServerBroadcast broadcast, String url, Bootstrap bootstrap, RtmpServerOptions options) {
        this.broadcast = broadcast;
        this.url = url;
        this.bootstrap = bootstrap;
        this.options = options;
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL: " + url + " (" + e.getMessage() + ")");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        int lastSlash = path.lastIndexOf('/');
        if (!"rtmp".equals(uri.getScheme()) || uri.getHost() == null || lastSlash <= 0
                || lastSlash == path.length() - 1) {
            throw new IllegalArgumentException("a relay pushes to rtmp://host[:port]/app/streamName, got " + url);
        }
        this.host = uri.getHost();
        this.port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        this.app = path.substring(1, lastSlash);
        this.streamName = path.substring(lastSlash + 1);
    }

    void start() {
        connect();
    }

    private void connect() {
        synchronized (this) {
            if (closed) {
                return;
            }
        }
        connects.incrementAndGet();
        ChannelFuture connecting = bootstrap.clone()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 10_000)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        options.writeBufferLowBytes(), options.writeBufferHighBytes()))
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("traffic", new ByteCounter());
                        ch.pipeline().addLast("handshake", new ClientHandshakeHandler(ctx -> ctx.pipeline()
                                .addAfter(ctx.name(), "chunk-decoder", new ChunkDecoder(options.maxMessageBytes(),
                                        options.maxChunkStreams()))
                                .addAfter("chunk-decoder", "chunk-encoder", new ChunkEncoder())
                                .addAfter("chunk-encoder", "publish", new RelaySessionHandler(
                                        BroadcastRelay.this, tcUrl(), app, streamName))));
                    }
                })
                .connect(host, port);
        Channel opened = connecting.channel();
        synchronized (this) {
            channel = opened;
            if (closed) {
                opened.close();
            }
        }
        opened.closeFuture().addListener(f -> ended(opened));
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                ClientEventLog.log(LOG, System.Logger.Level.WARNING, "{0}: cannot connect: {1}", this,
                        f.cause().getMessage());
            }
        });
    }

    private String tcUrl() {
        return "rtmp://" + host + ":" + port + "/" + app;
    }

    /** The upstream accepted the publish on {@code messageStreamId}: frames go to it from the next key frame. */
    void publishing(Channel on, int messageStreamId) {
        synchronized (this) {
            if (closed || on != channel) {
                return;
            }
        }
        BroadcastPlayer joined = broadcast.join(this, new ChannelTransport(on, CHUNK_SIZE, 0,
                on.pipeline().get(ByteCounter.class)), messageStreamId);
        synchronized (this) {
            if (joined == null || closed || on != channel) {
                if (joined != null) {
                    broadcast.leave(joined, false);
                }
                on.close();
                return;
            }
            player = joined;
            pauseMillis = FIRST_PAUSE_MILLIS;
        }
        LOG.log(System.Logger.Level.INFO, "{0}: publishing", this);
    }

    /** A connection ended: leave the broadcast, and connect again after the pause unless closed. */
    private void ended(Channel which) {
        BroadcastPlayer left;
        long pause;
        synchronized (this) {
            if (which != channel) {
                return;
            }
            left = player;
            player = null;
            channel = null;
            pause = pauseMillis;
            pauseMillis = Math.min(LONGEST_PAUSE_MILLIS, pauseMillis * 2);
            if (closed) {
                pause = -1;
            }
        }
        if (left != null) {
            // Leaving may stop the playback and wait for its threads: not on the event loop.
            Thread.startVirtualThread(() -> broadcast.leave(left, false));
        }
        if (pause >= 0) {
            ClientEventLog.log(LOG, System.Logger.Level.WARNING, "{0}: the upstream connection ended; connecting "
                    + "again in {1} ms", this, pause);
            bootstrap.config().group().schedule(this::connect, pause, TimeUnit.MILLISECONDS);
        }
    }

    // ---- BroadcastPlayer.Owner ----

    // The broadcast's statistics count what goes to the relay, as to any player; it keeps no counts of its own.
    @Override
    public void countSent() {
    }

    @Override
    public void countDropped() {
    }

    @Override
    public void closeBehind(BroadcastPlayer from, String why) {
        ClientEventLog.log(LOG, System.Logger.Level.WARNING, "{0}: {1}; reconnecting", this, why);
        Channel behind;
        synchronized (this) {
            behind = player == from ? channel : null;
        }
        if (behind != null) {
            behind.close();
        }
    }

    @Override
    public void broadcastEnded(BroadcastPlayer from) {
        close();
    }

    // ---- Broadcast.Relay ----

    @Override
    public String url() {
        return url;
    }

    @Override
    public synchronized boolean publishing() {
        return player != null;
    }

    @Override
    public long connects() {
        return connects.get();
    }

    @Override
    public void close() {
        Channel open;
        BroadcastPlayer left;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = channel;
            left = player;
            player = null;
        }
        if (left != null) {
            broadcast.leave(left, true);
        }
        if (open != null) {
            RelaySessionHandler.unpublish(open, streamName);
        }
        broadcast.relayClosed(this);
    }

    @Override
    public String toString() {
        return "relay of " + broadcast + " to " + url;
    }
}
