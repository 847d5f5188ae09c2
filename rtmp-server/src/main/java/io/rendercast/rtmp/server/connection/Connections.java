package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.ConnectionStatistics;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import io.rendercast.rtmp.server.transport.ByteCounter;

/** A server's open connections, whatever carries them, and the bytes of all it has had, open and ended. */
public final class Connections {

    private final ConnectionContext context;
    private final Admission admission;
    private final Set<ServerConnection> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong ids = new AtomicLong();
    /** Bytes of connections that have ended; the open ones' are read from them. */
    private final AtomicLong endedBytesSent = new AtomicLong();
    private final AtomicLong endedBytesReceived = new AtomicLong();

    public Connections(ConnectionContext context, Admission admission) {
        this.context = context;
        this.admission = admission;
    }

    /**
     * A connection of {@code viewer}, admitted (perhaps only to be refused at connect with the reason); or null,
     * and the viewer closed, when the server is full and refusing more already.
     *
     * @param traffic counts the bytes the viewer reads and writes
     */
    public ServerConnection open(ViewerTransport viewer, ByteCounter traffic) {
        Admission.Ticket ticket = admission.admit(viewer.peerAddress().getAddress());
        if (ticket == null) {
            viewer.close();
            return null;
        }
        ServerConnection connection = new ServerConnection(ids.incrementAndGet(), viewer, context, ticket, traffic,
                this::ended);
        open.add(connection);
        context.metrics().connectionAccepted();
        return connection;
    }

    private void ended(ServerConnection connection) {
        admission.forget(connection.peerAddress().getAddress());
        ConnectionStatistics statistics = connection.statistics();
        endedBytesSent.addAndGet(statistics.bytesOut());
        endedBytesReceived.addAndGet(statistics.bytesIn());
        open.remove(connection);
    }

    /** The connections open now. */
    /** Where new connections are admitted, or refused. */
    public Admission admission() {
        return admission;
    }

    public Set<ServerConnection> open() {
        return Set.copyOf(open);
    }

    /** Bytes sent to every connection the server has had. */
    public long bytesSent() {
        return endedBytesSent.get() + sum(ConnectionStatistics::bytesOut);
    }

    /** Bytes received from every connection the server has had. */
    public long bytesReceived() {
        return endedBytesReceived.get() + sum(ConnectionStatistics::bytesIn);
    }

    private long sum(ToLongFunction<ConnectionStatistics> bytes) {
        return open.stream().mapToLong(connection -> bytes.applyAsLong(connection.statistics())).sum();
    }
}
