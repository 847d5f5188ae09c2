package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.Broadcast;

/**
 * Opens a relay that pushes a broadcast to an upstream server. The relay joins the broadcast as one more player,
 * so it lives above this package; the server wires one in.
 */
@FunctionalInterface
public interface RelayFactory {

    /**
     * A relay of {@code broadcast} to {@code url}, connecting already; it calls {@link ServerBroadcast#relayClosed}
     * when it is closed.
     *
     * @throws IllegalArgumentException when {@code url} is not an {@code rtmp://host[:port]/app/streamName}
     */
    Broadcast.Relay open(ServerBroadcast broadcast, String url);
}
