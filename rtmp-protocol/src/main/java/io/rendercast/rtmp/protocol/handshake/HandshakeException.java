package io.rendercast.rtmp.protocol.handshake;

import io.netty.handler.codec.CorruptedFrameException;

/** The client's handshake was not RTMP's, or did not finish in time. */
public final class HandshakeException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    public HandshakeException(String message) {
        super(message);
    }
}
