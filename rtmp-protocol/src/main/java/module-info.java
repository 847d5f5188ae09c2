/**
 * RTMP's wire format, layer by layer, as Netty codecs: {@code handshake}, {@code chunk}, {@code amf},
 * {@code message}, {@code command} and {@code flv}. It holds no event loops, bootstraps, native transports, TLS,
 * threads or server state; those are the server's. Applications never see it: it is exported only to the server
 * and to the modules that measure it. The fuzz tests read it from the class path.
 */
module io.rendercast.rtmp.protocol {
    requires io.rendercast.rtmp;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.codec;
    requires io.netty.transport;

    exports io.rendercast.rtmp.protocol.handshake to io.rendercast.rtmp.server;
    exports io.rendercast.rtmp.protocol.chunk to io.rendercast.rtmp.server, io.rendercast.benchmarks;
    exports io.rendercast.rtmp.protocol.amf to io.rendercast.rtmp.server, io.rendercast.benchmarks;
    exports io.rendercast.rtmp.protocol.message to io.rendercast.rtmp.server;
    exports io.rendercast.rtmp.protocol.command to io.rendercast.rtmp.server;
    exports io.rendercast.rtmp.protocol.flv to io.rendercast.rtmp.server, io.rendercast.benchmarks;
}
