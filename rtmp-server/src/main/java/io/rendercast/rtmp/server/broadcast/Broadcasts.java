package io.rendercast.rtmp.server.session;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.netty.bootstrap.Bootstrap;
import java.util.List;
import java.util.function.Supplier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A server's broadcasts, by app and stream name. */
public final class Broadcasts {

    private final Map<String, ServerBroadcast> byName = new ConcurrentHashMap<>();
    private final RtmpServerOptions options;
    private final StreamEncoders encoders;
    private final ServerMetrics metrics;

    private final Supplier<Bootstrap> clientBootstrap;

    /** @param clientBootstrap the server's network threads and transport, which relays to upstreams run on */
    private final ServerLimits limits;

    public Broadcasts(RtmpServerOptions options, StreamEncoders encoders, ServerMetrics metrics, ServerLimits limits,
                      Supplier<Bootstrap> clientBootstrap) {
        this.limits = limits;
        this.clientBootstrap = clientBootstrap;
        this.options = options;
        this.encoders = encoders;
        this.metrics = metrics;
    }

    /** @throws IllegalStateException when one of that app and name exists */
    public Broadcast start(String app, String streamName, Broadcast.Join join) {
        ServerBroadcast broadcast = new ServerBroadcast(this, app, streamName, join, options, encoders, metrics);
        if (byName.putIfAbsent(key(app, streamName), broadcast) != null) {
            throw new IllegalStateException("a broadcast of '" + app + "/" + streamName + "' exists already");
        }
        return broadcast;
    }

    /** The broadcast a player of {@code streamName} on a connection to {@code app} joins, or null. */
    ServerBroadcast find(String app, String streamName) {
        return app == null ? null : byName.get(key(app, streamName));
    }

    RenderBudget renderBudget() {
        return limits.renderBudget();
    }

    Bootstrap clientBootstrap() {
        return clientBootstrap.get();
    }

    void remove(ServerBroadcast broadcast) {
        byName.remove(key(broadcast.app(), broadcast.streamName()), broadcast);
    }

    /** Ends every broadcast; its players are told on their own connection threads. */
    public void closeAll() {
        for (ServerBroadcast broadcast : List.copyOf(byName.values())) {
            broadcast.close();
            broadcast.closeEncoder();
        }
    }

    private static String key(String app, String streamName) {
        return app + "/" + streamName;
    }
}
