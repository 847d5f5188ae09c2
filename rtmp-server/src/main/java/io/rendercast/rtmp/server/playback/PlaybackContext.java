package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.server.common.ServerLimits;
import io.rendercast.rtmp.server.metrics.ServerMetrics;

/**
 * What every playback of a server shares: its options, the count of streams playing, the render budget, the
 * metrics and the encoders.
 */
public record PlaybackContext(RtmpServerOptions options, ServerLimits.Slots playingStreams, RenderBudget renderBudget,
                              ServerMetrics metrics, StreamEncoders encoders) {
}
