package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.server.playback.StreamOwner;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.util.Set;

/**
 * What a connection's streams, its own or a broadcast's, need of it: playback sits below the connection, so its
 * streams see this narrow view and not the whole {@link ServerConnection}.
 */
final class ConnectionStreamOwner implements StreamOwner {

    private final ServerConnection connection;

    ConnectionStreamOwner(ServerConnection connection) {
        this.connection = connection;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public Set<String> procedures() {
        return connection.procedures();
    }

    @Override
    public StreamEventHandler streamEventHandler() {
        return connection.streamEventHandler();
    }

    @Override
    public Set<String> videoCodecs() {
        return connection.videoCodecs();
    }

    @Override
    public ViewerTransport viewer() {
        return connection.viewer();
    }

    @Override
    public void execute(Runnable task) {
        connection.execute(task);
    }

    @Override
    public void closeAfterFlush() {
        connection.closeAfterFlush();
    }

    @Override
    public void frameSent() {
        connection.counters().frameSent();
    }

    @Override
    public void frameDropped() {
        connection.counters().frameDropped();
    }

    @Override
    public void linkMeasured(LinkEstimate estimate, long bitrate) {
        connection.counters().linkMeasured(estimate, bitrate);
    }
}
