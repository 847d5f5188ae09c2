package io.rendercast.rtmp.protocol.message;

/** A message's payload is not what its type requires; the connection that sent it is closed. */
public final class MessageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MessageException(String message) {
        super(message);
    }
}
