package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.server.broadcast.Broadcasts;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.playback.PlaybackContext;
import java.util.List;

/** What every connection of a server shares: the server's options, handlers, playback, broadcasts and metrics. */
public record ConnectionContext(RtmpServerOptions options, List<ConnectHandler> connectHandlers,
                                PlaybackContext playback, Broadcasts broadcasts, ServerMetrics metrics) {
}
