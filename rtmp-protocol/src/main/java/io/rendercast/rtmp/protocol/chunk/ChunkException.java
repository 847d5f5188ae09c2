package io.rendercast.rtmp.protocol.chunk;

import io.netty.handler.codec.CorruptedFrameException;

/** The chunk stream broke a rule of RTMP or a limit of this server. */
public final class ChunkException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    public ChunkException(String message) {
        super(message);
    }
}
