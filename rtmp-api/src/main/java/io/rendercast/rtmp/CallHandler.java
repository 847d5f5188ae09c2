package io.rendercast.rtmp;

import java.util.List;

/**
 * Answers the client's remote procedure calls (RTMP commands other than the protocol's own).
 *
 * <p>Called on the connection's own thread. Registered by name with {@link Connection#registerCallHandler}.
 */
@FunctionalInterface
public interface CallHandler {

    /**
     * Handles one call.
     *
     * @param procedure     the procedure's name
     * @param commandObject the command object the client sent (often null)
     * @param arguments     the further arguments, never null
     * @return the answer; ignored when the client asked for none (transaction id 0)
     */
    CallResult handle(Connection connection, String procedure, Object commandObject, List<Object> arguments);
}
