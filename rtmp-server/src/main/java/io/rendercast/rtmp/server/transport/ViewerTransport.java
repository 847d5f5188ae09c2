package io.rendercast.rtmp.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.ChunkStreams;
import io.rendercast.rtmp.protocol.message.DataMessage;
import io.rendercast.rtmp.protocol.message.UserControl;
import io.rendercast.rtmp.protocol.message.UserControlEvent;
import io.rendercast.rtmp.server.common.StatusMessages;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Where one viewer's messages go, whatever carries them: RTMP chunks, FLV over HTTP or a WebSocket, and next
 * RTP. Playback and broadcast write RTMP messages (video tags, {@code onMetaData}, status) here and never ask
 * which transport it is; each transport turns them into its own wire format. The viewer's commands travel the
 * other way, into the connection ({@code ServerConnection.receive}), from whichever transport decoded them.
 *
 * <p>Every method may be called from any thread.
 */
public interface ViewerTransport {

    /** Where buffers for this viewer's messages come from. */
    ByteBufAllocator alloc();

    /** Sends a message, taking over its reference, and flushes. */
    void send(RawMessage message);

    /** Whether the viewer takes more now: false while what is queued for it is above the high water mark. */
    boolean isWritable();

    /** What the transport knows of the path to the viewer now. */
    LinkSample linkSample();

    /**
     * Frames the viewer said lately it has received and not yet shown (the page's decoder holds them), or 0 where it
     * says nothing of the kind.
     */
    default int framesWaitingInViewer() {
        return 0;
    }

    /**
     * The bit rate the transport's own congestion controller allows its viewer's stream now, at most
     * {@code ceiling} (the encoder's rate as the application set it), in bits a second; or -1 where it has none,
     * and the server sets the rate from the {@link #linkSample()}s (TCP's transports). WebRTC's has one.
     */
    default long congestionControlledBitrate(long ceiling) {
        return -1;
    }

    /**
     * The path's capacity as the transport's own congestion controller measured it where the path queued (averaged
     * over its overuses of the last 20 s), in bits a second; -1 where it has none, or knows none. What the viewer
     * receives while no queue stands is the server's own rate, not the path's: this says more, in the way a browser's
     * statistics report its controller's estimate rather than what arrived.
     */
    default long congestionControlledCapacity() {
        return -1;
    }

    /**
     * Encoder parameters the viewer's transport wants a player's own encoder opened with ({@code VideoEncoder}'s
     * names: the H.264 profile a WebRTC offer lists, a short rate buffer for a transport whose congestion control
     * changes the rate often); none where it takes what comes (RTMP's and FLV's players). An encoder without such a
     * parameter, or already open, keeps its own.
     */
    default java.util.Map<String, String> encoderSettings() {
        return java.util.Map.of();
    }

    /**
     * Gives the transport what to call when its viewer asks for a key frame (WebRTC's PLI and FIR): the stream that
     * plays to it then sends none but a key frame next. Transports whose viewers cannot ask ignore it.
     */
    default void onKeyFrameWanted(Runnable request) {
    }

    /** Whether the viewer is still there. */
    boolean isOpen();

    /** The network thread this viewer is written on; a fan-out groups its writes by it. */
    EventExecutor executor();

    /**
     * The RTMP chunk size this viewer reads, or 0 when its transport takes whole messages: a fan-out that chunks
     * a frame once for every viewer of one chunk size hands those viewers the chunks through
     * {@link #writeChunked}, and the others the message.
     */
    int chunkSize();

    /** Writes bytes chunked at {@link #chunkSize()}, taking over one reference; flushes with {@code flush}. */
    void writeChunked(ByteBuf chunked, boolean flush);

    /** The viewer's address. */
    InetSocketAddress peerAddress();

    /** Closes once what is queued has gone out, or after {@code timeout} when the viewer reads nothing. */
    void closeAfterFlush(Duration timeout);

    /** Closes now. */
    void close();

    // ---- RTMP's messages, as every transport takes them ----

    default void sendCommand(int messageStreamId, Command command) {
        int chunkStream = messageStreamId == 0 ? ChunkStreams.COMMAND : ChunkStreams.STREAM_COMMAND;
        send(command.toMessage(alloc(), chunkStream, messageStreamId));
    }

    default void sendData(int messageStreamId, DataMessage data) {
        send(data.toMessage(alloc(), ChunkStreams.STREAM_COMMAND, messageStreamId));
    }

    default void sendStatus(int messageStreamId, String level, String code, String description) {
        sendCommand(messageStreamId, new Command("onStatus", 0, null,
                List.of(StatusMessages.status(level, code, description))));
    }

    default void sendUserControl(UserControlEvent event, int messageStreamId) {
        send(UserControl.of(event, messageStreamId).toMessage(alloc()));
    }
}
