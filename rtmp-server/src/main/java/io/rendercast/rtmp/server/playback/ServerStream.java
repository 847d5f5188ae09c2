package io.rendercast.rtmp.server.session;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.PauseHandler;
import io.rendercast.rtmp.PlayHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.StreamStatistics;
import io.rendercast.rtmp.server.command.ClientCommand;
import io.rendercast.rtmp.server.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.message.DataMessage;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.message.UserControl;
import io.rendercast.rtmp.server.message.UserControlEvent;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A stream of one connection, from {@code createStream} to {@code deleteStream}.
 *
 * <p>Its life is a small state machine ({@link State}), changed on the connection thread only: commands (play,
 * pause, stop, delete) run there, and a handler's request to stop is handed there with the playback it came
 * from, so that it ends that playback and no later one. The render and frame handlers run on the threads of the
 * stream's {@link StreamPlayback} while it plays.
 */
public final class ServerStream extends StreamSettings implements PlaybackSource {

    private static final System.Logger LOG = System.getLogger(ServerStream.class.getName());

    /** Where a stream is in its life. */
    enum State {
        /** Created, or played and stopped: it may play. */
        IDLE,
        /** Its playback runs. */
        PLAYING,
        /** Deleted, or its connection ended: nothing more happens. */
        DELETED
    }

    /** The codec picked by {@code useCodec} and the encoder the stream owns for it; replaced as one. */
    private record CodecChoice(FlvVideoCodec codec, StreamEncoder encoder) {
        static final CodecChoice NONE = new CodecChoice(null, null);
    }

    private final ServerConnection connection;
    private final int id;
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile State state = State.IDLE;
    private volatile String streamName = "";
    private volatile CodecChoice codec = CodecChoice.NONE;

    // Guarded by this: the encoder reports its init data on the frame thread.
    private VideoData initData;
    private int width;
    private int height;
    private VideoSender sender;

    // The connection thread's.
    private boolean created;
    private StreamPlayback playback;
    private ServerBroadcast broadcast;
    private BroadcastPlayer broadcastPlayer;

    ServerStream(ServerConnection connection, int id) {
        this.connection = connection;
        this.id = id;
    }

    // ---- commands, on the connection thread ----

    void play(ClientCommand.Play command) {
        if (state != State.IDLE) {
            fail("NetStream.Play.Failed", "stream " + id + " is " + (state == State.PLAYING ? "already playing" : "deleted"));
            return;
        }
        streamName = command.streamName();
        ServerBroadcast shared = connection.broadcasts().find(connection.app(), streamName);
        if (shared != null) {
            playBroadcast(shared);
            return;
        }
        StreamEventHandler handler = connection.streamEventHandler();
        if (handler == null) {
            fail("NetStream.Play.StreamNotFound", "no stream handler is registered for '" + streamName + "'");
            return;
        }
        if (!created) {
            created = HandlerCalls.call(this, "stream handler",
                    () -> handler.handle(true, this, command.arguments()), false);
            if (!created) {
                connection.metrics().refused(ServerMetrics.Refusal.STREAM_REFUSED);
                fail("NetStream.Play.StreamNotFound", "the application refused stream '" + streamName + "'");
                return;
            }
        }
        FlvVideoCodec chosenCodec = codec.codec();
        if (chosenCodec != null && !connection.videoCodecs().contains(chosenCodec.codecName())) {
            connection.metrics().refused(ServerMetrics.Refusal.CODEC_NOT_LISTED);
            fail("NetStream.Play.Failed", "stream '" + streamName + "' is " + chosenCodec.codecName() + ", which this "
                    + "client did not list: an Enhanced RTMP client lists " + chosenCodec.fourCc() + " in connect's "
                    + "fourCcList; this one plays " + connection.videoCodecs());
            return;
        }
        ServerLimits.Slots playing = connection.limits().playingStreams();
        if (!playing.tryAcquire()) {
            connection.metrics().refused(ServerMetrics.Refusal.PLAY_LIMIT);
            fail("NetStream.Play.Failed", "the server plays its most streams at once (" + playing.max()
                    + "); try again later");
            return;
        }
        List<VideoData> first = new ArrayList<>();
        PlayHandler play = playHandler();
        if (play != null && !HandlerCalls.call(this, "play handler",
                () -> play.handle(true, this, collectOnThisThread(first)), false)) {
            playing.release();
            connection.metrics().refused(ServerMetrics.Refusal.STREAM_REFUSED);
            fail("NetStream.Play.Failed", "the application refused to play '" + streamName + "'");
            return;
        }
        startMessages();
        CodecChoice chosen = codec;
        VideoSender newSender = new VideoSender(connection, this, chosen.codec(), chosen.encoder());
        synchronized (this) {
            sender = newSender;
            newSender.start(initData, width, height);
        }
        first.forEach(data -> newSender.sendAsIs(data, 0));
        playback = new StreamPlayback(this, newSender, connection.id() + "-" + id, connection.options().maxBehind(),
                connection.limits().renderBudget());
        state = State.PLAYING;
        playback.start();
        ClientEventLog.log(LOG, System.Logger.Level.INFO,
                "{0}: playing stream {1} ''{2}''", connection, id, streamName);
    }

    /** Joins a broadcast: no render loop of its own, the broadcast's frames as they are made. */
    private void playBroadcast(ServerBroadcast shared) {
        FlvVideoCodec sharedCodec = shared.codec();
        if (sharedCodec != null && !connection.videoCodecs().contains(sharedCodec.codecName())) {
            connection.metrics().refused(ServerMetrics.Refusal.CODEC_NOT_LISTED);
            fail("NetStream.Play.Failed", "broadcast '" + streamName + "' is " + sharedCodec.codecName()
                    + ", which this client did not list; it plays " + connection.videoCodecs());
            return;
        }
        startMessages();
        BroadcastPlayer player = shared.join(new BroadcastPlayer.Owner() {
            @Override
            public void countSent() {
                ServerStream.this.countSent();
            }

            @Override
            public void countDropped() {
                ServerStream.this.countDropped();
            }

            @Override
            public void closeBehind(BroadcastPlayer from, String why) {
                closeBehindBroadcast(from, why);
            }

            @Override
            public void broadcastEnded(BroadcastPlayer from) {
                endFromBroadcast(from);
            }
        }, connection.channel(), id, connection.options().chunkSize());
        if (player == null) {
            fail("NetStream.Play.Failed", "broadcast '" + streamName + "' has ended or refused to start");
            connection.send(UserControl.of(UserControlEvent.STREAM_EOF, id).toMessage(connection.channel().alloc()));
            return;
        }
        broadcast = shared;
        broadcastPlayer = player;
        state = State.PLAYING;
        ClientEventLog.log(LOG, System.Logger.Level.INFO,
                "{0}: stream {1} joined {2}", connection, id, shared);
    }

    /** What a player gets when play starts: Stream Begin, the status, and the sample access flags. */
    private void startMessages() {
        connection.send(UserControl.of(UserControlEvent.STREAM_BEGIN, id).toMessage(connection.channel().alloc()));
        status("NetStream.Play.Reset", "Playing and resetting " + streamName + ".");
        status("NetStream.Play.Start", "Started playing " + streamName + ".");
        connection.sendData(id, new DataMessage("|RtmpSampleAccess", List.of(false, false)));
    }

    void pause(ClientCommand.Pause command) {
        if (state != State.PLAYING) {
            fail("NetStream.Pause.Failed", "stream " + id + " is not playing");
            return;
        }
        boolean pausing = command.pausing();
        if (broadcastPlayer != null) {
            broadcastPlayer.paused = pausing; // it resumes at the broadcast's next key frame
            status(pausing ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify",
                    (pausing ? "Paused " : "Unpaused ") + streamName + ".");
            return;
        }
        PauseHandler handler = pauseHandler();
        if (handler != null && !HandlerCalls.call(this, "pause handler", () -> handler.handle(pausing, this), false)) {
            fail("NetStream.Pause.Failed", "the application refused to " + (pausing ? "pause" : "resume"));
            return;
        }
        playback.setPaused(pausing);
        if (pausing) {
            status("NetStream.Pause.Notify", "Paused " + streamName + ".");
        } else {
            currentSender().markGap();
            status("NetStream.Unpause.Notify", "Unpaused " + streamName + ".");
        }
    }

    /**
     * Ends the playback: its threads stop (or are given up on after the stop timeout), nothing from them is sent
     * after this, what the encoder still held goes out, the play handler is told, and the player gets the end of
     * the sequence, Stream EOF and {@code NetStream.Play.Stop}.
     */
    void stop(boolean tellPlayer) {
        if (state != State.PLAYING) {
            return;
        }
        if (broadcastPlayer != null) {
            leaveBroadcast(tellPlayer);
            return;
        }
        StreamPlayback ended = playback;
        playback = null;
        state = State.IDLE;
        VideoSender endedSender;
        synchronized (this) {
            endedSender = sender;
            sender = null;
        }
        boolean frameThreadDone = ended.stop(connection.options().stopTimeout());
        endedSender.closeFrames();
        VideoData flushed = flushEncoder(ended, frameThreadDone);
        List<VideoData> last = new ArrayList<>();
        PlayHandler play = playHandler();
        if (play != null) {
            HandlerCalls.call(this, "play handler on stop", () -> play.handle(false, this, collectOnThisThread(last)),
                    false);
        }
        connection.limits().playingStreams().release();
        boolean toPlayer = tellPlayer && connection.channel().isActive();
        if (toPlayer) {
            endedSender.sendFlushed(flushed, (int) Math.round(1000 / renderRate()));
            int at = endedSender.lastTimestamp();
            last.forEach(data -> endedSender.sendAsIs(data, at));
        }
        endedSender.finish(toPlayer);
        if (toPlayer) {
            connection.send(UserControl.of(UserControlEvent.STREAM_EOF, id).toMessage(connection.channel().alloc()));
            status("NetStream.Play.Stop", "Stopped playing " + streamName + ".");
        }
    }

    private void leaveBroadcast(boolean tellPlayer) {
        boolean toPlayer = tellPlayer && connection.channel().isActive();
        broadcast.leave(broadcastPlayer, toPlayer);
        broadcast = null;
        broadcastPlayer = null;
        state = State.IDLE;
        if (toPlayer) {
            connection.send(UserControl.of(UserControlEvent.STREAM_EOF, id).toMessage(connection.channel().alloc()));
            status("NetStream.Play.Stop", "Stopped playing " + streamName + ".");
        }
    }

    /** The broadcast {@code player} joined has ended: on the connection thread, its playing stops. */
    private void endFromBroadcast(BroadcastPlayer player) {
        connection.execute(() -> {
            if (broadcastPlayer == player) {
                stop(true);
            }
        });
    }

    /** The player stayed behind the broadcast too long: it is told why, and its connection closes. */
    private void closeBehindBroadcast(BroadcastPlayer player, String why) {
        ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: closing: {1}", this, why);
        connection.execute(() -> {
            if (broadcastPlayer == player) {
                connection.sendStatus(id, StatusMessages.LEVEL_ERROR, "NetStream.Failed", why);
                stop(true);
                connection.closeAfterFlush();
            }
        });
    }

    /** What the stream's encoder still held; with a stuck frame thread, the encoder is left to it. */
    private VideoData flushEncoder(StreamPlayback ended, boolean frameThreadDone) {
        StreamEncoder encoder = codec.encoder();
        return encoder == null ? VideoData.EMPTY : encoder.flushAtStop(ended, frameThreadDone, this);
    }

    /** Stops the stream if it plays, tells the stream handler it is gone, and frees its encoder. */
    void delete(boolean tellPlayer) {
        if (state == State.DELETED) {
            return;
        }
        stop(tellPlayer);
        state = State.DELETED;
        StreamEventHandler handler = connection.streamEventHandler();
        if (created && handler != null) {
            HandlerCalls.call(this, "stream handler on delete", () -> handler.handle(false, this, List.of()), false);
        }
        created = false;
        StreamEncoder owned = codec.encoder();
        if (owned != null) {
            owned.closeOwned();
        }
    }

    /** A handler of {@code playback} asked to stop: on the connection thread, if that playback still runs. */
    @Override
    public void requestStop(StreamPlayback from, String why) {
        connection.execute(() -> {
            if (playback == from) {
                stop(true);
            }
        });
    }

    /**
     * The player of {@code from} stayed behind too long: on the connection thread, if that playback still runs,
     * it is told why, the stream stops and the connection closes.
     */
    @Override
    public void closeBehindPlayer(StreamPlayback from, String why) {
        connection.execute(() -> {
            if (playback == from) {
                connection.sendStatus(id, StatusMessages.LEVEL_ERROR, "NetStream.Failed", why);
                stop(true);
                connection.closeAfterFlush();
            }
        });
    }

    /** An {@code out} for a play handler: takes data on the connection thread while the handler runs. */
    private Consumer<VideoData> collectOnThisThread(List<VideoData> into) {
        Thread owner = Thread.currentThread();
        return data -> {
            if (Thread.currentThread() != owner) {
                throw new IllegalStateException("a play handler's out takes data only on the connection thread, "
                        + "while the handler runs");
            }
            into.add(data.copy());
        };
    }

    private void status(String code, String description) {
        connection.sendStatus(id, StatusMessages.LEVEL_STATUS, code, description);
    }

    private void fail(String code, String description) {
        ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: stream {1}: {2}", connection, id, description);
        connection.sendStatus(id, StatusMessages.LEVEL_ERROR, code, description);
    }

    // ---- from the playback threads and the encoder ----

    @Override
    public Stream stream() {
        return this;
    }

    @Override
    public ServerMetrics metrics() {
        return connection.metrics();
    }

    /** The stream's encoder was initialised: its init data must reach the player before any frame. */
    private void encoderInitialized(VideoData data, int width, int height) {
        synchronized (this) {
            this.initData = data;
            this.width = width;
            this.height = height;
            if (sender != null) {
                sender.sendHeader(data, width, height);
            }
        }
    }

    private synchronized VideoSender currentSender() {
        return sender;
    }

    void countSent() {
        framesSent.incrementAndGet();
        connection.countFrameSent();
    }

    @Override
    public void countDropped() {
        framesDropped.incrementAndGet();
        connection.countFrameDropped();
    }

    // ---- Stream ----

    @Override
    public int id() {
        return id;
    }

    @Override
    public String streamName() {
        return streamName;
    }

    @Override
    public Connection connection() {
        return connection;
    }

    @Override
    public void useCodec(String codecName) throws VideoEncoderException {
        if (state != State.IDLE) {
            throw new IllegalStateException("the codec of stream " + id + " can only change before it plays, and "
                    + "it is " + state.name().toLowerCase());
        }
        FlvVideoCodec chosen = StreamEncoder.codecNamed(codecName);
        StreamEncoder previous = codec.encoder();
        StreamEncoder encoder = new StreamEncoder(chosen.codecName(), connection.encoders(), this::encoderInitialized);
        synchronized (this) {
            initData = null;
        }
        codec = new CodecChoice(chosen, encoder);
        if (previous != null) {
            previous.closeOwned();
        }
    }

    @Override
    public VideoEncoder videoEncoder() {
        return codec.encoder();
    }

    @Override
    public StreamStatistics statistics() {
        return new StreamStatistics(framesSent.get(), framesDropped.get());
    }

    @Override
    public String toString() {
        return "stream " + id + " '" + streamName + "' of " + connection;
    }
}
