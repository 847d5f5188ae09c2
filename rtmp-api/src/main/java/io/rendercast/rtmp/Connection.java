package io.rendercast.rtmp;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A client's RTMP connection, claimed by a {@link ConnectHandler}.
 *
 * <p>Thread-safe. Handlers registered here are called on this connection's own thread.
 */
public interface Connection {

    /** A number unique among this server's connections. */
    long id();

    /**
     * Registers the handler for calls of {@code procedure}; {@code procedure == null} registers the default
     * handler for calls that have none of their own; {@code handler == null} removes. Calls with no handler at
     * all are answered {@code _error}.
     */
    void registerCallHandler(String procedure, CallHandler handler);

    /** Registers the handler told of stream create and delete; {@code null} removes it (streams are refused). */
    void registerStreamEventHandler(StreamEventHandler handler);

    /** A snapshot of this connection's counters. */
    ConnectionStatistics statistics();

    /**
     * The video codecs this client says it plays, as {@link Stream#useCodec} names them: {@code "h264"},
     * {@code "sorenson"} and {@code "screen video"} for every client, and {@code "hevc"} and {@code "av1"} when its
     * connect listed {@code hvc1} and {@code av01} in Enhanced RTMP's {@code fourCcList}. A stream whose codec the
     * client did not list is refused at play with a status saying so; a stream handler that would rather fall
     * back (to {@code "h264"}, say) looks here first.
     */
    java.util.Set<String> videoCodecs();

    /** The client's address. */
    InetSocketAddress peerAddress();

    /**
     * Sets an application property; keys must start with {@code user_}.
     *
     * @return {@link PropertyResult#NO_SUCH_PROPERTY} for any other key
     */
    PropertyResult setProperty(String key, Object value);

    /** The value of a property, or {@code null} when it is not set. */
    Object getProperty(String key);

    /**
     * Calls a procedure on the client, as the client calls the server's.
     *
     * <p>The future completes with the value the client's {@code _result} carries; it fails with a
     * {@link RemoteCallException} when the client answers {@code _error}, with a
     * {@link java.util.concurrent.TimeoutException} when no answer comes within the server's call timeout, and
     * with an {@link java.io.IOException} when the connection ends first, and at once with an
     * {@link IllegalStateException} when too many calls wait already. The future is completed on a virtual thread
     * of its own, never on a network thread nor on the connection's thread: a handler may wait on it, and
     * dependent stages that are not given an executor run on that virtual thread.
     *
     * @param arguments values to send as AMF0: null, Boolean, Number, String, Map, List, Instant,
     *                  {@link AmfTypedObject} or {@link AmfXmlDocument} (see the
     *                  {@linkplain io.rendercast.rtmp package documentation}); the answer's value is mapped
     *                  as described there too
     */
    CompletableFuture<Object> call(String procedure, Object... arguments);

    /** Closes the connection: its streams end cleanly, then the socket closes. */
    void close();
}
