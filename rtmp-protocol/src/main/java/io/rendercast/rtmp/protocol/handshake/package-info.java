/**
 * The RTMP handshake: C0/C1/C2 from the client, S0/S1/S2 from the server, in the simple scheme or, for clients
 * that send a Flash Player digest, the digest scheme ({@link io.rendercast.rtmp.protocol.handshake.DigestHandshake}).
 * {@link io.rendercast.rtmp.protocol.handshake.ServerHandshakeHandler} runs it and then leaves the pipeline.
 */
package io.rendercast.rtmp.protocol.handshake;
