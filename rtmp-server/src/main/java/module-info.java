/**
 * The RTMP protocol server on Netty. Exports nothing to applications: they reach it through
 * {@link io.rendercast.rtmp.RtmpServer#create()}.
 */
module io.rendercast.rtmp.server {
    requires io.rendercast.rtmp;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    requires io.netty.transport.classes.epoll;
    requires io.netty.transport.unix.common;
    requires io.netty.transport.epoll.linux.x86_64;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires java.logging;

    // The benchmarks measure the chunk codec, FLV packaging and AMF themselves; nothing else may see them.
    exports io.rendercast.rtmp.server.chunk to io.rendercast.benchmarks;
    exports io.rendercast.rtmp.server.flv to io.rendercast.benchmarks;
    exports io.rendercast.rtmp.server.amf to io.rendercast.benchmarks;

    provides io.rendercast.rtmp.spi.RtmpServerFactory with io.rendercast.rtmp.server.NettyRtmpServerFactory;
}
