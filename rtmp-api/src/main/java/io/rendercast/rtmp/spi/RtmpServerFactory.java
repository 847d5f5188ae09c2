package io.rendercast.rtmp.spi;

import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.RtmpServerOptions;

/** Creates servers; found with {@link java.util.ServiceLoader} by {@link RtmpServer#create()}. */
public interface RtmpServerFactory {

    /** A new, unstarted server with these options (already checked when they were built). */
    RtmpServer createServer(RtmpServerOptions options);
}
