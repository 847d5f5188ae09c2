package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.PauseHandler;
import io.rendercast.rtmp.PlayHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.StreamStatistics;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.protocol.message.DataMessage;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.HandlerCalls;
import io.rendercast.rtmp.server.common.ServerLimits;
import io.rendercast.rtmp.server.common.StatusMessages;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import java.util.ArrayList;
import java.util.List;
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

    private final StreamOwner owner;
    private final PlaybackContext context;
    private final ViewerTransport viewer;
    private final int id;
    private final StreamCounters counters;
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
    /** The codec useCodec found no encoder for, if it failed: the play's refusal says so. */
    private volatile String noEncoder;
    private StreamPlayback playback;

    public ServerStream(StreamOwner owner, PlaybackContext context, int id) {
        this.counters = new StreamCounters(owner);
        this.owner = owner;
        this.context = context;
        this.viewer = owner.viewer();
        this.id = id;
    }

    // ---- commands, on the connection thread ----

    /** Whether its playback runs. */
    public boolean isPlaying() {
        return state == State.PLAYING;
    }

    public void play(ClientCommand.Play command) {
        if (state != State.IDLE) {
            fail("NetStream.Play.Failed", "stream " + id + " is " + (state == State.PLAYING ? "already playing" : "deleted"));
            return;
        }
        streamName = command.streamName();
        StreamEventHandler handler = owner.streamEventHandler();
        if (handler == null) {
            fail(StatusMessages.STREAM_NOT_FOUND, "no stream handler is registered for '" + streamName + "'");
            return;
        }
        if (!created) {
            created = HandlerCalls.call(this, "stream handler",
                    () -> handler.handle(true, this, command.arguments()), false);
            if (!created && noEncoder != null) {
                // The start's log said why, once; the player learns what it needs to, in a line.
                context.metrics().refused(ServerMetrics.Refusal.STREAM_REFUSED);
                fail("NetStream.Play.Failed", "the server has no " + noEncoder + " encoder that can run for stream '"
                        + streamName + "'");
                return;
            }
            if (!created) {
                context.metrics().refused(ServerMetrics.Refusal.STREAM_REFUSED);
                fail(StatusMessages.STREAM_NOT_FOUND, "the application refused stream '" + streamName + "'");
                return;
            }
        }
        FlvVideoCodec chosenCodec = codec.codec();
        if (chosenCodec != null && !owner.videoCodecs().contains(chosenCodec.codecName())) {
            context.metrics().refused(ServerMetrics.Refusal.CODEC_NOT_LISTED);
            fail("NetStream.Play.Failed", "stream '" + streamName + "' is " + chosenCodec.codecName() + ", which this "
                    + "client did not list: an Enhanced RTMP client lists " + chosenCodec.fourCc() + " in connect's "
                    + "fourCcList; this one plays " + owner.videoCodecs());
            return;
        }
        int least = context.options().minRenderHeadroomPercent();
        if (least > 0 && !context.renderBudget().admit(least, context.playingStreams().used())) {
            int headroom = context.renderBudget().headroomPercent();
            context.metrics().refused(ServerMetrics.Refusal.RENDER_TURNS);
            PlayStatus.failedForNow(owner, id, "NetStream.Play.Failed", "the server renders all it can ("
                    + headroom + "% of its render turns unused, below its least of " + least + "%); try again later");
            return;
        }
        ServerLimits.Slots playing = context.playingStreams();
        if (!playing.tryAcquire()) {
            context.metrics().refused(ServerMetrics.Refusal.PLAY_LIMIT);
            PlayStatus.failedForNow(owner, id, "NetStream.Play.Failed", "the server plays its most streams at once ("
                    + playing.max() + "); try again later");
            return;
        }
        List<VideoData> first = new ArrayList<>();
        PlayHandler play = playHandler();
        if (play != null && !HandlerCalls.call(this, "play handler",
                () -> play.handle(true, this, collectOnThisThread(first)), false)) {
            playing.release();
            context.metrics().refused(ServerMetrics.Refusal.STREAM_REFUSED);
            fail("NetStream.Play.Failed", "the application refused to play '" + streamName + "'");
            return;
        }
        PlayStatus.started(viewer, id, streamName);
        CodecChoice chosen = codec;
        if (chosen.encoder() != null) {
            chosen.encoder().useSettingsOf(viewer);
        }
        VideoSender newSender = new VideoSender(viewer, this, chosen.codec(), chosen.encoder(),
                context.options().outQueueFrames());
        synchronized (this) {
            sender = newSender;
            newSender.start(initData, width, height);
        }
        first.forEach(data -> newSender.sendAsIs(data, 0));
        playback = new StreamPlayback(this, newSender, owner.connection().id() + "-" + id,
                context.options().maxBehind(), context.renderBudget());
        state = State.PLAYING;
        playback.start();
        ClientEventLog.log(LOG, System.Logger.Level.INFO,
                "{0}: playing stream {1} ''{2}''", owner.connection(), id, streamName);
    }

    public void pause(ClientCommand.Pause command) {
        if (state != State.PLAYING) {
            fail("NetStream.Pause.Failed", "stream " + id + " is not playing");
            return;
        }
        boolean pausing = command.pausing();
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
    public void stop(boolean tellPlayer) {
        if (state != State.PLAYING) {
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
        boolean frameThreadDone = ended.stop(context.options().stopTimeout());
        endedSender.closeFrames();
        VideoData flushed = flushEncoder(ended, frameThreadDone);
        List<VideoData> last = new ArrayList<>();
        PlayHandler play = playHandler();
        if (play != null) {
            HandlerCalls.call(this, "play handler on stop", () -> play.handle(false, this, collectOnThisThread(last)),
                    false);
        }
        context.playingStreams().release();
        boolean toPlayer = tellPlayer && viewer.isOpen();
        if (toPlayer) {
            endedSender.sendFlushed(flushed, (int) Math.round(1000 / renderRate()));
            int at = endedSender.lastTimestamp();
            last.forEach(data -> endedSender.sendAsIs(data, at));
        }
        endedSender.finish(toPlayer);
        if (toPlayer) {
            PlayStatus.stopped(viewer, id, streamName);
        }
    }

    /** What the stream's encoder still held; with a stuck frame thread, the encoder is left to it. */
    private VideoData flushEncoder(StreamPlayback ended, boolean frameThreadDone) {
        StreamEncoder encoder = codec.encoder();
        return encoder == null ? VideoData.EMPTY : encoder.flushAtStop(ended, frameThreadDone, this);
    }

    /** Stops the stream if it plays, tells the stream handler it is gone, and frees its encoder. */
    public void delete(boolean tellPlayer) {
        if (state == State.DELETED) {
            return;
        }
        stop(tellPlayer);
        state = State.DELETED;
        StreamEventHandler handler = owner.streamEventHandler();
        if (created && handler != null) {
            HandlerCalls.call(this, "stream handler on delete", () -> handler.handle(false, this, List.of()), false);
        }
        created = false;
        codec.close();
    }

    /** A handler of {@code playback} asked to stop: on the connection thread, if that playback still runs. */
    @Override
    public void requestStop(StreamPlayback from, String why) {
        owner.execute(() -> {
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
        owner.execute(() -> {
            if (playback == from) {
                viewer.sendStatus(id, StatusMessages.LEVEL_ERROR, "NetStream.Failed", why);
                stop(true);
                owner.closeAfterFlush();
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
        viewer.sendStatus(id, StatusMessages.LEVEL_STATUS, code, description);
    }

    private void fail(String code, String description) {
        PlayStatus.failed(owner, id, code, description);
    }

    // ---- from the playback threads and the encoder ----

    @Override
    public Stream stream() {
        return this;
    }

    @Override
    public ServerMetrics metrics() {
        return context.metrics();
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
        counters.frameSent();
    }

    @Override
    public void countDropped() {
        counters.frameDropped();
    }

    @Override
    public void countReplaced() {
        counters.renderReplaced();
    }

    /** The player's path as last measured, and the encoder's bit rate for it (0 once the stream stopped). */
    void linkMeasured(LinkEstimate estimate, long bitrate) {
        owner.linkMeasured(estimate, bitrate);
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
        return owner.connection();
    }

    @Override
    public void useCodec(String codecName) throws VideoEncoderException {
        if (state != State.IDLE) {
            throw new IllegalStateException("the codec of stream " + id + " can only change before it plays, and "
                    + "it is " + state.name().toLowerCase());
        }
        CodecChoice next;
        try {
            next = codec.replacedBy(codecName, context.encoders(), this::encoderInitialized);
        } catch (VideoEncoderException e) {
            noEncoder = codecName;
            throw e;
        }
        synchronized (this) {
            initData = null;
        }
        codec = next;
    }

    /** The procedures the player's connection answers, for its page's inputs; null when any name is answered. */
    java.util.Set<String> procedures() {
        return owner.procedures();
    }

    @Override
    public VideoEncoder videoEncoder() {
        return codec.encoder();
    }

    @Override
    public StreamStatistics statistics() {
        return counters.statistics();
    }

    @Override
    public String toString() {
        return "stream " + id + " '" + streamName + "' of " + owner.connection();
    }
}
