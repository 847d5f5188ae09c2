/**
 * One client's session above the protocol layers: {@link io.rendercast.rtmp.server.session.RtmpSession} reads
 * messages on the network thread and hands commands to {@link io.rendercast.rtmp.server.session.ServerConnection},
 * whose own thread runs the application's handlers; each playing {@link io.rendercast.rtmp.server.session.ServerStream}
 * has a {@link io.rendercast.rtmp.server.session.StreamPlayback} (render and frame threads) and a
 * {@link io.rendercast.rtmp.server.session.VideoSender} (packaging and the bounded out-queue).
 */
package io.rendercast.rtmp.server.session;
