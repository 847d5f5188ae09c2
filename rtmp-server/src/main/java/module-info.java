/**
 * The RTMP server on Netty. Exports nothing to applications: they reach it through
 * {@link io.rendercast.rtmp.RtmpServer#create()}. Its packages, top down: the server (lifecycle and listeners);
 * {@code webrtc} (WHEP players: ICE-lite, DTLS-SRTP, RTP, data channels), {@code viewer} (HTTP-FLV, WebSockets, the
 * page and its messages) and {@code connection} (one client's session); {@code broadcast} and {@code relay};
 * {@code playback} (a stream rendered for its player); and at the bottom {@code transport} (the seam every viewer
 * transport implements), {@code common} and {@code metrics}.
 */
module io.rendercast.rtmp.server {
    requires io.rendercast.rtmp;
    requires io.rendercast.rtmp.protocol;
    requires io.netty.common;
    requires io.netty.buffer;
    requires io.netty.transport;
    requires io.netty.codec;
    requires io.netty.handler;
    requires io.netty.codec.http;
    // Linux's epoll where its modules are there; NIO everywhere else.
    requires static io.netty.transport.classes.epoll;
    requires static io.netty.transport.unix.common;
    requires static io.netty.transport.epoll.linux.x86_64;
    requires io.prometheus.metrics.core;
    requires io.prometheus.metrics.model;
    requires io.prometheus.writer.text;
    requires com.fasterxml.jackson.core;
    // WebRTC's DTLS 1.2 and the certificate its fingerprint names.
    requires org.bouncycastle.tls;
    requires org.bouncycastle.pkix;
    requires org.bouncycastle.provider;
    requires org.bouncycastle.util;
    requires java.logging;
    requires jdk.management;

    provides io.rendercast.rtmp.spi.RtmpServerFactory with io.rendercast.rtmp.server.NettyRtmpServerFactory;
}
