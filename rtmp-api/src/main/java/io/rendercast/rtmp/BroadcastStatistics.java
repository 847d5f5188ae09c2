package io.rendercast.rtmp;

/**
 * A broadcast's counters since it started.
 *
 * @param playersJoined      players that joined, in all
 * @param framesEncoded      frames the frame handler gave, each sent once to every player that kept up
 * @param framesSent         frames written to players, counting one per player
 * @param skipsToKeyFrame    times a player fell behind and was set to resume at the next key frame
 * @param playersClosedBehind players closed because they stayed behind for longer than the server allows
 * @param renditionSwitches  times a player moved to a lower rendition or back up to a higher one
 * @param controllers        connections that control the broadcast now ({@link Broadcast#grantControl})
 * @param watchers           connections that watch it now and do not control it
 * @param controlChanges     times who controls or waits in the queue changed
 * @param controlCallsRefused calls of the broadcast's procedures from watchers, refused
 */
public record BroadcastStatistics(long playersJoined, long framesEncoded, long framesSent, long skipsToKeyFrame,
                                  long playersClosedBehind, long renditionSwitches, int controllers, int watchers,
                                  long controlChanges, long controlCallsRefused) {

    /** A rendition's counters, which know nothing of control. */
    public BroadcastStatistics(long playersJoined, long framesEncoded, long framesSent, long skipsToKeyFrame,
                               long playersClosedBehind, long renditionSwitches) {
        this(playersJoined, framesEncoded, framesSent, skipsToKeyFrame, playersClosedBehind, renditionSwitches, 0,
                0, 0, 0);
    }
}
