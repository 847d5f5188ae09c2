package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.DataMessage;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.StatusMessages;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.util.List;

/** What a player is told as play starts, ends or fails, whether it plays a stream of its own or a broadcast. */
public final class PlayStatus {

    private static final System.Logger LOG = System.getLogger(PlayStatus.class.getName());

    private PlayStatus() {
    }

    /** Stream Begin, the status, and the sample access flags. */
    public static void started(ViewerTransport viewer, int streamId, String streamName) {
        viewer.sendUserControl(UserControlEvent.STREAM_BEGIN, streamId);
        viewer.sendStatus(streamId, StatusMessages.LEVEL_STATUS, "NetStream.Play.Reset",
                "Playing and resetting " + streamName + ".");
        viewer.sendStatus(streamId, StatusMessages.LEVEL_STATUS, "NetStream.Play.Start",
                "Started playing " + streamName + ".");
        viewer.sendData(streamId, new DataMessage("|RtmpSampleAccess", List.of(false, false)));
    }

    /** Stream EOF and {@code NetStream.Play.Stop}. */
    public static void stopped(ViewerTransport viewer, int streamId, String streamName) {
        viewer.sendUserControl(UserControlEvent.STREAM_EOF, streamId);
        viewer.sendStatus(streamId, StatusMessages.LEVEL_STATUS, "NetStream.Play.Stop",
                "Stopped playing " + streamName + ".");
    }

    /** Why stream {@code streamId} could not do what its player asked; logged too. */
    public static void failed(StreamOwner owner, int streamId, String code, String description) {
        fail(owner, streamId, code, description, false);
    }

    /** As {@link #failed}, for a server too full to play it now: the player may try again, here or elsewhere. */
    public static void failedForNow(StreamOwner owner, int streamId, String code, String description) {
        fail(owner, streamId, code, description, true);
    }

    private static void fail(StreamOwner owner, int streamId, String code, String description, boolean retry) {
        ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: stream {1}: {2}", owner.connection(), streamId,
                description);
        var info = StatusMessages.status(StatusMessages.LEVEL_ERROR, code, description);
        if (retry) {
            info.put(StatusMessages.RETRY, true);
        }
        owner.viewer().sendCommand(streamId, new Command("onStatus", 0, null, List.of(info)));
    }
}
