package io.rendercast.rtmp.server;

import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.spi.RtmpServerFactory;

/** The {@link RtmpServerFactory} this module provides. */
public final class NettyRtmpServerFactory implements RtmpServerFactory {

    @Override
    public RtmpServer createServer(RtmpServerOptions options) {
        return new NettyRtmpServer(options);
    }
}
