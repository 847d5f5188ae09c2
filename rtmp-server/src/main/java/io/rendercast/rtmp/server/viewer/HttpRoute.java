package io.rendercast.rtmp.server.viewer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;

/** Requests on the HTTP port that another part of the server answers, by their path: WHEP's, say. */
public interface HttpRoute {

    /** Whether requests for {@code path} are this route's. */
    boolean handles(String path);

    /** Answers {@code request}; the request is released when this returns. */
    void handle(ChannelHandlerContext ctx, FullHttpRequest request);
}
