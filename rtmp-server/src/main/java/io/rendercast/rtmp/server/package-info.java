/**
 * The server on Netty: {@link io.rendercast.rtmp.server.NettyRtmpServer} starts and stops it and its listeners
 * (RTMP, RTMPS, HTTP). Below it, top down: {@code viewer} and {@code connection}, then {@code broadcast} and
 * {@code relay}, then {@code playback}, then {@code transport}, {@code common} and {@code metrics}. RTMP's wire
 * format is the module {@code io.rendercast.rtmp.protocol}.
 */
package io.rendercast.rtmp.server;
