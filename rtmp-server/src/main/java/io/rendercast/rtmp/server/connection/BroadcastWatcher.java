package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.LinkEstimate;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.protocol.message.DataMessage;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import io.rendercast.rtmp.server.broadcast.BroadcastControl;
import io.rendercast.rtmp.server.broadcast.BroadcastPlayer;
import io.rendercast.rtmp.server.broadcast.ServerBroadcast;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.StatusMessages;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.playback.PlayStatus;
import io.rendercast.rtmp.server.playback.ServerStream;
import io.rendercast.rtmp.server.playback.StreamOwner;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.util.List;
import java.util.Map;

/**
 * A stream of a connection that plays a broadcast: no render loop of its own, the broadcast's frames as they are
 * made. Its state changes on the connection thread; the broadcast tells it of an end or a fall behind from its
 * own threads, and those are handed to the connection thread.
 */
final class BroadcastWatcher implements BroadcastPlayer.Owner, BroadcastControl.Watcher {

    private static final System.Logger LOG = System.getLogger(BroadcastWatcher.class.getName());

    private final StreamOwner owner;
    private final ViewerTransport viewer;
    private final int streamId;
    private final String streamName;
    private final Runnable onEnded;
    private ServerBroadcast broadcast;
    private BroadcastPlayer player;
    /** Until it leaves: the broadcast's measures of its path count for the connection. */
    private volatile boolean watching;

    /** @param onEnded told, on the connection thread, once the player has left the broadcast */
    private BroadcastWatcher(StreamOwner owner, int streamId, String streamName, Runnable onEnded) {
        this.owner = owner;
        this.viewer = owner.viewer();
        this.streamId = streamId;
        this.streamName = streamName;
        this.onEnded = onEnded;
    }

    /**
     * Joins {@code shared} on stream {@code streamId}, on the connection thread; null, the player told why, when
     * it cannot.
     */
    static BroadcastWatcher join(ServerBroadcast shared, StreamOwner owner, ServerMetrics metrics, int streamId,
                                 String streamName, Runnable onEnded) {
        FlvVideoCodec codec = shared.codec();
        if (codec != null && !owner.videoCodecs().contains(codec.codecName())) {
            metrics.refused(ServerMetrics.Refusal.CODEC_NOT_LISTED);
            PlayStatus.failed(owner, streamId, "NetStream.Play.Failed", "broadcast '" + streamName + "' is "
                    + codec.codecName() + ", which this client did not list; it plays " + owner.videoCodecs());
            return null;
        }
        PlayStatus.started(owner.viewer(), streamId, streamName);
        BroadcastWatcher watcher = new BroadcastWatcher(owner, streamId, streamName, onEnded);
        BroadcastPlayer player = shared.join(watcher, owner.viewer(), streamId);
        if (player == null) {
            PlayStatus.failed(owner, streamId, "NetStream.Play.Failed", "broadcast '" + streamName
                    + "' has ended or refused to start");
            owner.viewer().sendUserControl(UserControlEvent.STREAM_EOF, streamId);
            return null;
        }
        watcher.broadcast = shared;
        watcher.player = player;
        watcher.watching = true;
        shared.control().watch(watcher);
        ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: stream {1} joined {2}", owner.connection(),
                streamId, shared);
        return watcher;
    }

    void pause(boolean pausing) {
        player.setPaused(pausing);
        viewer.sendStatus(streamId, StatusMessages.LEVEL_STATUS,
                pausing ? "NetStream.Pause.Notify" : "NetStream.Unpause.Notify",
                (pausing ? "Paused " : "Unpaused ") + streamName + ".");
    }

    /** Leaves the broadcast; with {@code tellPlayer}, the player gets the end of the sequence and of the play. */
    void leave(boolean tellPlayer) {
        if (player == null) {
            return;
        }
        boolean toPlayer = tellPlayer && viewer.isOpen();
        watching = false;
        broadcast.control().unwatch(this);
        broadcast.leave(player, toPlayer);
        player = null;
        owner.linkMeasured(LinkEstimate.UNKNOWN, 0);
        if (toPlayer) {
            PlayStatus.stopped(viewer, streamId, streamName);
        }
        onEnded.run();
    }

    /** Who steers the broadcast this stream watches. */
    BroadcastControl control() {
        return broadcast.control();
    }

    // ---- BroadcastControl.Watcher ----

    @Override
    public Connection connection() {
        return owner.connection();
    }

    /** The control changed: the player is told with {@code onControl}, on the connection thread. */
    @Override
    public void told(Map<String, Object> state) {
        owner.execute(() -> {
            if (watching) {
                player.setImmediate("controller".equals(state.get("role")));
                viewer.sendData(streamId, new DataMessage("onControl", List.of(state)));
            }
        });
    }

    @Override
    public void later(Runnable task, long delayMillis) {
        // The network thread only keeps the time; the task runs on the connection thread, as promised.
        viewer.executor().schedule(() -> owner.execute(task), delayMillis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    // ---- BroadcastPlayer.Owner, from the broadcast's threads ----

    @Override
    public java.util.Set<String> procedures() {
        return owner.procedures();
    }

    @Override
    public void countSent() {
        owner.frameSent();
    }

    @Override
    public void countDropped() {
        owner.frameDropped();
    }

    /** The player stayed behind the broadcast too long: it is told why, and its connection closes. */
    @Override
    public void closeBehind(BroadcastPlayer from, String why) {
        ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: closing: {1}", this, why);
        owner.execute(() -> {
            if (player == from) {
                viewer.sendStatus(streamId, StatusMessages.LEVEL_ERROR, "NetStream.Failed", why);
                leave(true);
                owner.closeAfterFlush();
            }
        });
    }

    @Override
    public void linkMeasured(LinkEstimate estimate, long bitrate) {
        if (watching) {
            owner.linkMeasured(estimate, bitrate);
        }
    }

    @Override
    public void broadcastEnded(BroadcastPlayer from) {
        owner.execute(() -> {
            if (player == from) {
                leave(true);
            }
        });
    }

    @Override
    public String toString() {
        return "stream " + streamId + " '" + streamName + "' of " + owner.connection();
    }
}
