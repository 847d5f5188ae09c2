package io.rendercast.rtmp.protocol.amf;

import io.netty.handler.codec.CorruptedFrameException;

/** AMF bytes that do not decode, or a value that AMF cannot carry. */
public final class AmfException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    public AmfException(String message) {
        super(message);
    }
}
