package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.server.playback.PlaybackContext;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A server's broadcasts, by app and stream name. */
public final class Broadcasts {

    private final Map<String, ServerBroadcast> byName = new ConcurrentHashMap<>();
    private final PlaybackContext context;
    private final RelayFactory relays;

    /** @param relays opens the relays that {@link Broadcast#pushTo} asks for */
    public Broadcasts(PlaybackContext context, RelayFactory relays) {
        this.context = context;
        this.relays = relays;
    }

    /** @throws IllegalStateException when one of that app and name exists */
    public Broadcast start(String app, String streamName, Broadcast.Join join) {
        ServerBroadcast broadcast = new ServerBroadcast(this, app, streamName, join, context);
        if (byName.putIfAbsent(key(app, streamName), broadcast) != null) {
            throw new IllegalStateException("a broadcast of '" + app + "/" + streamName + "' exists already");
        }
        return broadcast;
    }

    /** The broadcast a player of {@code streamName} on a connection to {@code app} joins, or null. */
    public ServerBroadcast find(String app, String streamName) {
        return app == null ? null : byName.get(key(app, streamName));
    }

    /** A connection has ended: it controls no broadcast any more, nor waits for control of one. */
    public void connectionEnded(Connection connection) {
        for (ServerBroadcast broadcast : byName.values()) {
            broadcast.control().revoke(connection);
        }
    }

    /** Connections that control a broadcast now, summed over the broadcasts. */
    public int controllers() {
        return byName.values().stream().mapToInt(b -> b.controllers().size()).sum();
    }

    /** Streams that watch a broadcast now, summed over the broadcasts. */
    public int watchers() {
        return byName.values().stream().mapToInt(ServerBroadcast::players).sum();
    }

    RelayFactory relays() {
        return relays;
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
