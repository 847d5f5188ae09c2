package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.ConnectionStatistics;
import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import io.rendercast.rtmp.server.transport.ByteCounter;

/**
 * The running figures of one connection's {@link ConnectionStatistics}: counted where things happen, on the
 * network, connection and frame threads, without a lock, and read from any thread.
 */
final class ConnectionCounters {

    private final ByteCounter traffic;
    private final ServerMetrics metrics;
    private final PingTracker pings = new PingTracker();
    private final long startNanos = System.nanoTime();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile LinkEstimate link = LinkEstimate.UNKNOWN;
    private volatile long videoBitrate;

    /**
     * @param traffic counts the bytes the connection reads and writes
     * @param metrics the server's, which count every connection's frames too
     */
    ConnectionCounters(ByteCounter traffic, ServerMetrics metrics) {
        this.traffic = traffic;
        this.metrics = metrics;
    }

    void messageIn() {
        messagesIn.incrementAndGet();
    }

    void messageOut() {
        messagesOut.incrementAndGet();
    }

    void frameSent() {
        framesSent.incrementAndGet();
        metrics.frameSent();
    }

    void frameDropped() {
        framesDropped.incrementAndGet();
        metrics.frameDropped();
    }

    /** A stream of the connection measured the path and set its encoder (0: it stopped); its frame thread. */
    void linkMeasured(LinkEstimate estimate, long bitrate) {
        if (bitrate != videoBitrate) {
            metrics.bitrateChanged(videoBitrate, bitrate);
        }
        link = estimate;
        videoBitrate = bitrate;
    }

    /** Pings to this client and their round trips; network thread. */
    PingTracker pings() {
        return pings;
    }

    /** The client acknowledged bytes up to RTMP's 32-bit {@code sequence}; network thread. */
    void acknowledged(long sequence) {
        traffic.acknowledged(sequence);
    }

    /** Bytes read from the client so far: what its acknowledgement window counts. */
    long bytesIn() {
        return traffic.bytesRead();
    }

    ConnectionStatistics statistics() {
        return new ConnectionStatistics(traffic.bytesRead(), traffic.bytesWritten(),
                messagesIn.get(), messagesOut.get(), framesSent.get(), framesDropped.get(),
                Duration.ofNanos(System.nanoTime() - startNanos), Duration.ofNanos(pings.roundTripNanos()), link,
                videoBitrate);
    }
}
