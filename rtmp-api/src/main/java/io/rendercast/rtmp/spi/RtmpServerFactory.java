package io.rendercast.rtmp.spi;

import io.rendercast.rtmp.RtmpServer;

/** Creates servers; found with {@link java.util.ServiceLoader} by {@link RtmpServer#create()}. */
public interface RtmpServerFactory {

    /** A new, unstarted server. */
    RtmpServer createServer();
}
