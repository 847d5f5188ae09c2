package io.rendercast.rtmp;

import java.util.List;

/**
 * Answers the client's remote procedure calls (RTMP commands other than the protocol's own).
 *
 * <p>Called on the connection's own thread. Registered by name with {@link Connection#registerCallHandler}. It
 * may wait there on the answer of a {@link Connection#call} to the same client. Data messages the client sends
 * (AMF0 type 18 or AMF3 type 15, as Flash's {@code NetStream.send} makes) reach the handler of their name too;
 * they expect no answer, and what the handler returns for them is dropped.
 */
@FunctionalInterface
public interface CallHandler {

    /**
     * Handles one call.
     *
     * @param procedure     the procedure's name
     * @param commandObject the command object the client sent (often null)
     * @param arguments     the further arguments, never null; AMF values as the
     *                      {@linkplain io.rendercast.rtmp package documentation} maps them: a number is a
     *                      {@link Double} from AMF0 but an {@link Integer} when the client sent an AMF3 integer
     * @return the answer, {@code null} for {@code _result} with no value; ignored when the client asked for none
     *         (transaction id 0)
     * @throws Exception to answer {@code _error}; the connection goes on, and the exception is logged on the
     *                   server. The client gets the exception's message when it is the application's words: an
     *                   exception class of the application's own, or an {@link IllegalArgumentException},
     *                   {@link IllegalStateException} or {@link UnsupportedOperationException}. An argument taken
     *                   on trust that was not what the handler cast it to ({@link ClassCastException},
     *                   {@link IndexOutOfBoundsException}, {@link NullPointerException}) is answered with the
     *                   arguments the client sent, by AMF type; any other exception of the JDK's with "failed on
     *                   the server", so that no JVM internals reach clients
     */
    CallResult handle(Connection connection, String procedure, Object commandObject, List<Object> arguments)
            throws Exception;
}
