package io.rendercast.rtmp.server.relay;

import io.netty.bootstrap.Bootstrap;
import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.server.broadcast.RelayFactory;
import io.rendercast.rtmp.server.broadcast.ServerBroadcast;
import java.util.function.Supplier;

/** The server's relays: each pushes a broadcast to an upstream RTMP server on the server's network threads. */
public final class UpstreamRelays implements RelayFactory {

    private final Supplier<Bootstrap> clientBootstrap;
    private final RtmpServerOptions options;

    /** @param clientBootstrap the server's network threads and transport, once it has started */
    public UpstreamRelays(Supplier<Bootstrap> clientBootstrap, RtmpServerOptions options) {
        this.clientBootstrap = clientBootstrap;
        this.options = options;
    }

    @Override
    public Broadcast.Relay open(ServerBroadcast broadcast, String url) {
        BroadcastRelay relay = new BroadcastRelay(broadcast, url, clientBootstrap.get(), options);
        relay.start();
        return relay;
    }
}
