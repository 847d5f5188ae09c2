package io.rendercast.rtmp;

import java.util.List;
import java.util.Map;

/**
 * Decides whether to serve a connection, and learns when it ends.
 *
 * <p>Called on the connection's own thread.
 */
@FunctionalInterface
public interface ConnectHandler {

    /**
     * On {@code connect} ({@code isCreate == true}): returns {@code true} to claim the connection. A handler
     * usually registers its call and stream event handlers on the connection here. When the connection ends,
     * the handler that claimed it is called once more with {@code isCreate == false}; its result is ignored.
     *
     * @param commandObject the connect command object ({@code app}, {@code tcUrl}, {@code flashVer}, ...),
     *                      never null (empty when the client sent none)
     * @param arguments     the further AMF arguments the client sent after it, never null; see the
     *                      {@linkplain io.rendercast.rtmp package documentation} for their Java types
     * @throws ConnectionRefusedException on connect, to refuse the connection with a reason the client is shown;
     *                                     the next handlers are not asked
     * @throws Exception on connect: the connection is refused (the client is told the application failed to
     *                   decide; the exception is logged), and the next handlers are not asked; on disconnect it
     *                   is logged
     */
    boolean handle(boolean isCreate, Connection connection, Map<String, Object> commandObject, List<Object> arguments)
            throws Exception;
}
