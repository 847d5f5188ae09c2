package io.rendercast.rtmp.server.session;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.PauseHandler;
import io.rendercast.rtmp.PlayHandler;
import io.rendercast.rtmp.PropertyResult;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.StreamStatistics;
import io.rendercast.rtmp.server.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.message.Command;
import io.rendercast.rtmp.server.message.ControlMessages;
import io.rendercast.rtmp.server.message.UserControlEvent;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoders;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A stream of one connection, from {@code createStream} to {@code deleteStream}.
 *
 * <p>Commands (play, pause, stop, delete) run on the connection thread; the render and frame handlers run on
 * the threads of the stream's {@link StreamPlayback} while it plays.
 */
public final class ServerStream implements Stream {

    private static final System.Logger LOG = System.getLogger(ServerStream.class.getName());
    private static final double DEFAULT_RENDER_RATE = 30;
    private static final double MAX_RENDER_RATE = 240;

    private final ServerConnection connection;
    private final int id;
    private final Properties properties = new Properties();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile String streamName = "";
    private volatile double renderRate = DEFAULT_RENDER_RATE;
    private volatile RenderHandler renderHandler;
    private volatile FrameHandler frameHandler;
    private volatile PlayHandler playHandler;
    private volatile PauseHandler pauseHandler;
    private volatile FlvVideoCodec codec;
    private volatile StreamEncoder encoder;

    // Guarded by this: the encoder may report its init data from any thread.
    private VideoData initData;
    private int width;
    private int height;
    private VideoSender sender;

    // Touched on the connection thread only.
    private boolean created;
    private StreamPlayback playback;

    ServerStream(ServerConnection connection, int id) {
        this.connection = connection;
        this.id = id;
        properties.putReserved(RENDER_RATE, DEFAULT_RENDER_RATE);
    }

    // ---- commands, on the connection thread ----

    void play(Command command) {
        if (playback != null) {
            fail("NetStream.Play.Failed", "stream " + id + " is already playing");
            return;
        }
        streamName = command.argument(0) instanceof String name ? name : "";
        StreamEventHandler handler = connection.streamEventHandler();
        if (handler == null) {
            fail("NetStream.Play.StreamNotFound", "no stream handler is registered for '" + streamName + "'");
            return;
        }
        if (!created) {
            created = handler.handle(true, this, command.arguments());
            if (!created) {
                fail("NetStream.Play.StreamNotFound", "the application refused stream '" + streamName + "'");
                return;
            }
        }
        List<VideoData> first = new ArrayList<>();
        PlayHandler play = playHandler;
        if (play != null && !play.handle(true, this, first::add)) {
            fail("NetStream.Play.Failed", "the application refused to play '" + streamName + "'");
            return;
        }
        connection.send(ControlMessages.userControl(connection.channel().alloc(), UserControlEvent.STREAM_BEGIN, id));
        status("NetStream.Play.Reset", "Playing and resetting " + streamName + ".");
        status("NetStream.Play.Start", "Started playing " + streamName + ".");
        connection.sendCommand(id, new Command("|RtmpSampleAccess", 0, false, List.of(false)));
        VideoSender newSender = new VideoSender(connection, this, codec, encoder);
        synchronized (this) {
            sender = newSender;
            newSender.start(initData, width, height);
        }
        first.forEach(newSender::sendAsIs);
        playback = new StreamPlayback(connection, this, newSender);
        playback.start();
        LOG.log(System.Logger.Level.INFO, "{0}: playing stream {1} ''{2}''", connection, id, streamName);
    }

    void pause(Command command) {
        if (playback == null) {
            fail("NetStream.Pause.Failed", "stream " + id + " is not playing");
            return;
        }
        boolean pausing = !(command.argument(0) instanceof Boolean b) || b;
        PauseHandler handler = pauseHandler;
        if (handler != null && !handler.handle(pausing, this)) {
            fail("NetStream.Pause.Failed", "the application refused to " + (pausing ? "pause" : "resume"));
            return;
        }
        playback.setPaused(pausing);
        if (pausing) {
            status("NetStream.Pause.Notify", "Paused " + streamName + ".");
        } else {
            sender().markGap();
            status("NetStream.Unpause.Notify", "Unpaused " + streamName + ".");
        }
    }

    /** Ends playback: the loop stops, the play handler is told, and the player gets the end of the stream. */
    void stop(boolean tellPlayer) {
        if (playback == null) {
            return;
        }
        playback.stop();
        playback = null;
        List<VideoData> last = new ArrayList<>();
        PlayHandler play = playHandler;
        if (play != null) {
            play.handle(false, this, last::add);
        }
        VideoSender ended;
        synchronized (this) {
            ended = sender;
            sender = null;
        }
        if (tellPlayer && connection.channel().isActive()) {
            last.forEach(ended::sendAsIs);
            ended.finish();
            connection.send(ControlMessages.userControl(connection.channel().alloc(), UserControlEvent.STREAM_EOF, id));
            status("NetStream.Play.Stop", "Stopped playing " + streamName + ".");
        }
    }

    /** Stops the stream if it plays, tells the stream handler it is gone, and frees its encoder. */
    void delete(boolean tellPlayer) {
        stop(tellPlayer);
        StreamEventHandler handler = connection.streamEventHandler();
        if (created && handler != null) {
            handler.handle(false, this, List.of());
        }
        created = false;
        StreamEncoder owned = encoder;
        if (owned != null) {
            owned.closeOwned();
        }
    }

    private void status(String code, String description) {
        connection.sendStatus(id, StatusMessages.LEVEL_STATUS, code, description);
    }

    private void fail(String code, String description) {
        LOG.log(System.Logger.Level.INFO, "{0}: stream {1}: {2}", connection, id, description);
        connection.sendStatus(id, StatusMessages.LEVEL_ERROR, code, description);
    }

    // ---- from the playback threads and the encoder ----

    RenderHandler renderHandler() {
        return renderHandler;
    }

    FrameHandler frameHandler() {
        return frameHandler;
    }

    double renderRate() {
        return renderRate;
    }

    /** The stream's encoder was initialised: its init data must reach the player before any frame. */
    void encoderInitialized(VideoData data, int width, int height) {
        synchronized (this) {
            this.initData = data;
            this.width = width;
            this.height = height;
            if (sender != null) {
                sender.sendHeader(data, width, height);
            }
        }
    }

    private synchronized VideoSender sender() {
        return sender;
    }

    void countSent() {
        framesSent.incrementAndGet();
        connection.countFrameSent();
    }

    void countDropped() {
        framesDropped.incrementAndGet();
        connection.countFrameDropped();
    }

    /** Asks the connection thread to stop this stream, as a handler that returned false does. */
    void requestStop() {
        connection.execute(() -> stop(true));
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
        if (playback != null) {
            throw new IllegalStateException("the codec of stream " + id + " cannot change while it plays");
        }
        FlvVideoCodec chosen;
        try {
            chosen = FlvVideoCodec.byName(codecName);
        } catch (IllegalArgumentException e) {
            throw new VideoEncoderException(VideoEncoderException.Reason.NO_PROVIDER, e.getMessage());
        }
        VideoEncoder created = VideoEncoders.select(chosen.codecName()).create();
        StreamEncoder previous = encoder;
        encoder = new StreamEncoder(created, this);
        codec = chosen;
        synchronized (this) {
            initData = null;
        }
        if (previous != null) {
            previous.closeOwned();
        }
    }

    @Override
    public VideoEncoder videoEncoder() {
        return encoder;
    }

    @Override
    public StreamStatistics statistics() {
        return new StreamStatistics(framesSent.get(), framesDropped.get());
    }

    @Override
    public void registerRenderHandler(RenderHandler handler) {
        renderHandler = handler;
    }

    @Override
    public void registerFrameHandler(FrameHandler handler) {
        frameHandler = handler;
    }

    @Override
    public void registerPlayHandler(PlayHandler handler) {
        playHandler = handler;
    }

    @Override
    public void registerPauseHandler(PauseHandler handler) {
        pauseHandler = handler;
    }

    @Override
    public PropertyResult setProperty(String key, Object value) {
        if (RENDER_RATE.equals(key)) {
            double rate = value instanceof Number n ? n.doubleValue() : Double.NaN;
            if (!(rate > 0 && rate <= MAX_RENDER_RATE)) {
                return PropertyResult.INVALID_VALUE;
            }
            renderRate = rate;
            properties.putReserved(key, rate);
            return PropertyResult.OK;
        }
        return properties.set(key, value);
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public String toString() {
        return "stream " + id + " '" + streamName + "' of " + connection;
    }
}
