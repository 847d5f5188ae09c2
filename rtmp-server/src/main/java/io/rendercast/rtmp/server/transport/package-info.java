/**
 * The seam between a viewer's transport and the rest of the server: playback and broadcast write RTMP messages
 * to a {@link io.rendercast.rtmp.server.transport.ViewerTransport} and never ask which transport it is.
 */
package io.rendercast.rtmp.server.transport;
