package io.rendercast.rtmp;

/**
 * One stream rendered and encoded once and sent to every player that plays its name: for a scene that many
 * watch, where {@link RtmpServer}'s usual stream per player would render and encode once per player.
 *
 * <p>Set it up as any stream, through {@link #stream()}: pick its codec, register its render and frame handlers,
 * set its render rate. The handlers run on the broadcast's own render and frame threads while at least one
 * player watches; with none the loop stops and the encoder is flushed, and the next player starts them again.
 * The stream's play handler is told when the loop starts and stops (its {@code out} takes nothing); no pause
 * handler is called, since one player's pause concerns only that player.
 *
 * <p>Players join and leave without disturbing the others or the encoder. Each frame is packaged and cut into
 * chunks once and the same buffers are written to every player. A player that falls behind (its socket's
 * buffer above the server's high mark) skips to the next key frame; one that stays behind for longer than the
 * server's {@code maxBehind} is closed with {@code NetStream.Failed}. {@link #statistics()} counts each case.
 *
 * <p>Thread-safe.
 */
public interface Broadcast extends AutoCloseable {

    /** How a player that joins a running broadcast starts. */
    enum Join {
        /** At once: the sequence header, then the frames since the last key frame, kept for this. */
        CACHED_PICTURES,
        /** At the next key frame, which the encoder is asked for when the player joins. */
        NEXT_KEY_FRAME
    }

    /** The application name players connect to. */
    String app();

    /** The stream name players play. */
    String streamName();

    /**
     * The shared stream: codec, handlers and properties as for a player's own stream. Its {@link Stream#id()} is
     * 0 and its {@link Stream#connection()} is {@code null}: it belongs to no connection.
     */
    Stream stream();

    /** How many players watch now. */
    int players();

    /** A snapshot of the broadcast's counters. */
    BroadcastStatistics statistics();

    /** Ends the broadcast: every player gets {@code NetStream.Play.Stop}, and the name plays per player again. */
    @Override
    void close();
}
