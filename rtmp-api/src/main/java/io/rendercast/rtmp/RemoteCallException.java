package io.rendercast.rtmp;

/** The client answered a call from the server with {@code _error}; {@link #error()} is what it sent. */
public class RemoteCallException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Object error;

    public RemoteCallException(String procedure, Object error) {
        super("the client answered '" + procedure + "' with _error: " + error);
        this.error = error;
    }

    /** The AMF value the client sent with {@code _error} (often a status object). */
    public Object error() {
        return error;
    }
}
