/**
 * The server on Netty: {@link io.rendercast.rtmp.server.NettyRtmpServer} accepts sockets and builds each
 * connection's pipeline (handshake, chunk codec, session). The protocol lives below, one package a layer:
 * {@code handshake}, {@code chunk}, {@code amf}, {@code message}, {@code flv}, then {@code session}.
 */
package io.rendercast.rtmp.server;
