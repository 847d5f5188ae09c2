package io.rendercast.rtmp;

import java.time.Duration;

/**
 * A snapshot of one connection's counters.
 *
 * @param bytesIn        bytes received, handshake included
 * @param bytesOut       bytes written to the socket, handshake included
 * @param messagesIn     RTMP messages received
 * @param messagesOut    RTMP messages sent
 * @param framesSent     video frames sent, over all of the connection's streams
 * @param framesDropped  frames not encoded or not sent because the player was behind or paused
 * @param uptime         time since the connection was accepted
 * @param roundTripTime  the last ping's round-trip time, {@link Duration#ZERO} until one was answered; the server
 *                       pings every client every few seconds
 * @param link           the path to the client as last measured while one of its streams played
 *                       ({@link LinkEstimate#UNKNOWN} before)
 * @param videoBitrate   the bit rate its playing stream's encoder was last set to, adapted to the link; 0 when no
 *                       stream of it plays
 */
public record ConnectionStatistics(long bytesIn, long bytesOut, long messagesIn, long messagesOut,
                                   long framesSent, long framesDropped, Duration uptime, Duration roundTripTime,
                                   LinkEstimate link, long videoBitrate) {
}
