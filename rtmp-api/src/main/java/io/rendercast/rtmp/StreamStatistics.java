package io.rendercast.rtmp;

/**
 * A snapshot of one stream's counters.
 *
 * @param framesSent    video frames handed to the network for this stream
 * @param framesDropped frames not encoded or not sent because the player was behind, or because a key frame was
 *                      due and the frame was not one
 * @param rendersReplaced renders that a newer render replaced before the frame thread took them, so that they were
 *                      never encoded: rendering outpaces encoding (the newest render is always the one encoded)
 */
public record StreamStatistics(long framesSent, long framesDropped, long rendersReplaced) {
}
