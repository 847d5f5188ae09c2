package io.rendercast.rtmp;

import java.util.List;

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
 * chunks once and the same buffers are written to every player. A player whose path is slower than the
 * broadcast moves to a lower {@linkplain #addRendition rendition} where there is one; one whose frames would still
 * reach it more than a second late, or whose socket's buffer is above the server's high mark, skips to the next
 * key frame; one that stays behind for longer than the server's {@code maxBehind} is closed with
 * {@code NetStream.Failed}. {@link #statistics()} counts each case.
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

    /**
     * Adds a lower rendition: the broadcast's pictures encoded once more, by an encoder of the same codec at
     * {@code bitrate} bits a second, for players whose path cannot carry the shared encode. Every player starts on
     * the shared encode. One whose frames queue on the way for longer than 0.3 s moves to the next lower rendition
     * at that rendition's next key frame (asked for at once); after 10 s without a queue it tries the one above
     * again, and waits twice as long after each try that failed. A rendition is encoded only while a player plays
     * it.
     *
     * <p>The server encodes a rendition from the canvases it manages, so renditions play only for a stream that
     * {@linkplain Stream#registerCanvasRenderHandler renders into managed canvases}; a broadcast whose own frame
     * handler encodes plays its shared encode alone, and says so in the log when it starts. Only while no one
     * watches; renditions are ordered by bit rate, highest first.
     *
     * @throws IllegalArgumentException when {@code bitrate} is not positive
     * @throws IllegalStateException    when players watch now, or the broadcast has ended
     */
    void addRendition(long bitrate);

    /** The renditions players play now: the shared encode first, then the lower ones, highest first. */
    List<Rendition> renditions();

    /**
     * One rendition of the broadcast, as of the call.
     *
     * @param bitrate the bit rate its encoder was set to, or 0 where the shared encode's frame handler encodes
     * @param players how many players play it
     */
    record Rendition(long bitrate, int players) {
    }

    // ---- control: one render, steered by a few, watched by many ----

    /**
     * The connection property ({@link Connection#setProperty}) that names a controller to every watcher; where it
     * is not set, a controller is "viewer" and its connection's id.
     */
    String CONTROLLER_NAME_PROPERTY = "user_name";

    /**
     * Registers the procedure that controllers call to steer the broadcast. A call of {@code procedure} by a
     * connection that watches the broadcast reaches {@code handler} when that connection controls it; from any
     * other watcher it is answered with an {@code _error} that says who controls it, and never reaches the
     * scene. Calls of procedures the broadcast does not register go to the connection's own handlers as before.
     */
    void registerCallHandler(String procedure, CallHandler handler);

    /**
     * Lets {@code connection} steer the broadcast, beside any controllers it has; at connect (before it plays) or
     * later. Every watcher is told who controls ({@code onControl}, below). A controller that leaves (closes, or
     * stops watching while it watched) gives control up, and the first in the queue gets it.
     *
     * <p>Watchers are told on each of their streams that plays the broadcast, with a data message
     * {@code onControl} whose object holds {@code role} ({@code controller}, {@code queued} or {@code watcher}),
     * {@code controllers} (their names), {@code watchers} (how many watch) and, when queued, {@code position}.
     */
    void grantControl(Connection connection);

    /** Takes control from {@code connection}, or its place in the queue; the first in the queue then controls. */
    void revokeControl(Connection connection);

    /** The connections that control the broadcast now, in the order they got control. */
    List<Connection> controllers();

    /**
     * How watchers' requests for control ({@code requestControl}) are answered; {@link
     * ControlPolicy#APPLICATION_GRANTS} until set. A watcher gives control back, or leaves the queue, with
     * {@code releaseControl}.
     */
    void setControlPolicy(ControlPolicy policy);

    /** A snapshot of the broadcast's counters. */
    BroadcastStatistics statistics();

    /**
     * Publishes the broadcast to an upstream RTMP server, as {@code ffmpeg -f flv URL} does, so that the RTMP
     * servers already in place (nginx-rtmp, SRS) carry it to more players. The relay counts as a player: the
     * broadcast renders while it pushes. When the upstream goes away or refuses, the relay connects again after
     * a pause that doubles from half a second up to 30 seconds, and starts again from a key frame, until it is
     * closed.
     *
     * @param url {@code rtmp://host[:port]/app/streamName}
     * @throws IllegalArgumentException when the URL is not of that form
     */
    Relay pushTo(String url);

    /** A push of the broadcast to an upstream server. */
    interface Relay extends AutoCloseable {

        /** Where it pushes. */
        String url();

        /** Whether the upstream has accepted the stream, so that frames go to it now. */
        boolean publishing();

        /** Times it connected to the upstream, the first included. */
        long connects();

        /** Stops pushing: the upstream gets the end of the stream and the connection closes. */
        @Override
        void close();
    }

    /** Ends the broadcast: every player gets {@code NetStream.Play.Stop}, and the name plays per player again. */
    @Override
    void close();
}
