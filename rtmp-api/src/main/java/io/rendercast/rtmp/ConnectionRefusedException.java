package io.rendercast.rtmp;

/**
 * Thrown by a {@link ConnectHandler} to refuse a connection with a reason the client is shown (in
 * {@code NetConnection.Connect.Rejected}'s description, or a browser viewer's status). No later handler is asked.
 */
public class ConnectionRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    /** @param reason what the client is told, such as "wrong or missing token" */
    public ConnectionRefusedException(String reason) {
        super(reason);
    }
}
