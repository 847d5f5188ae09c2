package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.ConnectionRefusedException;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.protocol.message.SetChunkSize;
import io.rendercast.rtmp.protocol.message.SetPeerBandwidth;
import io.rendercast.rtmp.protocol.message.WindowAcknowledgementSize;
import io.rendercast.rtmp.server.broadcast.BroadcastControl;
import io.rendercast.rtmp.server.broadcast.ServerBroadcast;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.HandlerCalls;
import io.rendercast.rtmp.server.common.StatusMessages;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.playback.PlayStatus;
import io.rendercast.rtmp.server.playback.ServerStream;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Acts on a connection's commands, one at a time, on the connection's own thread: connect, the stream table,
 * and the application's calls. Every field here belongs to that thread.
 */
final class CommandDispatcher {

    private static final System.Logger LOG = System.getLogger(CommandDispatcher.class.getName());
    private static final String PUBLISH_DENIED = "Rendercast plays rendered streams; it does not accept published ones";

    /** Calls players make around play (librtmp, ffmpeg, Flash), answered for them unless the application does. */
    private static final Map<String, Object> PLAY_HELPERS = Map.of("FCSubscribe", "subscribed",
            "FCUnsubscribe", "unsubscribed", "getStreamLength", 0.0);

    private final ServerConnection connection;
    private final ConnectionContext context;
    private final ViewerTransport viewer;
    private final Map<Integer, ServerStream> streams = new HashMap<>();
    /** The streams that play a broadcast, by id: a stream plays its own render or a broadcast, never both. */
    private final Map<Integer, BroadcastWatcher> watchers = new HashMap<>();
    private ConnectHandler claimedBy;
    private boolean connected;
    /** Connect was refused: the connection closes once the answer is out. */
    private boolean refused;
    private volatile boolean ended;
    private int nextStreamId = 1;

    CommandDispatcher(ServerConnection connection, ConnectionContext context) {
        this.connection = connection;
        this.context = context;
        this.viewer = connection.viewer();
    }

    boolean ended() {
        return ended;
    }

    void dispatch(ClientCommand command, int messageStreamId) {
        if (ended) {
            return;
        }
        if (refused) {
            // A client may send createStream and play without waiting for connect's answer (the HTTP viewers
            // do, and so do some RTMP players): after a refusal they are no error, only too late.
            LOG.log(System.Logger.Level.DEBUG, "{0}: ''{1}'' after a refused connect: ignored", connection, command);
            return;
        }
        if (!connected && !(command instanceof ClientCommand.Connect)) {
            protocolError("'" + command + "' before connect");
            return;
        }
        switch (command) {
            case ClientCommand.Connect connect -> connect(connect);
            case ClientCommand.CreateStream create -> createStream(create);
            case ClientCommand.Play play -> withStream(play.streamId(), "play", stream -> play(stream, play));
            case ClientCommand.Pause pause -> withStream(pause.streamId(), "pause", stream -> pause(stream, pause));
            case ClientCommand.CloseStream close -> withStream(close.streamId(), "closeStream",
                    stream -> stop(stream, true));
            case ClientCommand.DeleteStream delete -> deleteStream(delete.streamId());
            case ClientCommand.Publish publish -> refusePublish(publish, messageStreamId);
            case ClientCommand.Call call -> call(call);
            case ClientCommand.CallAnswer answer -> connection.callAnswered(answer);
            case ClientCommand.Ignored ignored -> {
            }
        }
    }

    private void connect(ClientCommand.Connect connect) {
        if (connected) {
            protocolError("a second connect on one connection");
            return;
        }
        LOG.log(System.Logger.Level.DEBUG, "{0}: connect {1} {2}", connection, connect.commandObject(),
                connect.arguments());
        List<String> fourCcs = fourCcList(connect.commandObject().get("fourCcList"));
        connection.setVideoCodecs(videoCodecs(fourCcs));
        String refusal = connection.refusal() != null ? connection.refusal()
                : "no connect handler accepted app '" + connect.commandObject().get("app") + "'";
        ServerMetrics.Refusal reason = connection.refusal() != null ? ServerMetrics.Refusal.SERVER_FULL
                : ServerMetrics.Refusal.NO_HANDLER;
        for (ConnectHandler handler : connection.refusal() != null ? List.<ConnectHandler>of()
                : context.connectHandlers()) {
            Boolean claimed;
            try {
                claimed = handler.handle(true, connection, connect.commandObject(), connect.arguments());
            } catch (ConnectionRefusedException e) {
                refusal = e.getMessage();
                reason = ServerMetrics.Refusal.APPLICATION;
                break;
            } catch (Exception e) {
                ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                        "{0}: connect handler threw {1}", connection, e.toString());
                refusal = "the application failed to decide on app '" + connect.commandObject().get("app") + "'";
                reason = ServerMetrics.Refusal.APPLICATION;
                break;
            }
            if (claimed) {
                claimedBy = handler;
                break;
            }
        }
        if (claimedBy == null) {
            refused = true;
            context.metrics().refused(reason);
            ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: refused: {1}", connection, refusal);
            Map<String, Object> rejected = StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetConnection.Connect.Rejected", "NetConnection.Connect.Rejected: " + refusal);
            if (connection.refusal() != null) {
                // The server is full or drains, not the client wrong: it may connect again.
                rejected.put(StatusMessages.RETRY, true);
            }
            viewer.sendCommand(0, new Command("_error", connect.transactionId(), null, List.of(rejected)));
            viewer.closeAfterFlush(context.options().stopTimeout());
            return;
        }
        connected = true;
        connection.setApp(connect.commandObject().get("app"));
        var alloc = viewer.alloc();
        var options = context.options();
        viewer.send(new WindowAcknowledgementSize(options.windowAckSize()).toMessage(alloc));
        viewer.send(new SetPeerBandwidth(options.windowAckSize(), SetPeerBandwidth.LIMIT_DYNAMIC).toMessage(alloc));
        viewer.send(new SetChunkSize(options.chunkSize()).toMessage(alloc));
        Map<String, Object> properties = StatusMessages.serverProperties();
        if (!fourCcs.isEmpty()) {
            // Enhanced RTMP: answer the client's list with the FourCCs this server sends that it listed.
            properties.put("fourCcList", java.util.Arrays.stream(FlvVideoCodec.values())
                    .filter(c -> c.fourCc() != null && (fourCcs.contains(c.fourCc()) || fourCcs.contains("*")))
                    .map(FlvVideoCodec::fourCc).toList());
        }
        viewer.sendCommand(0, new Command("_result", connect.transactionId(), properties,
                List.of(StatusMessages.connectSuccess(connect.objectEncoding()))));
    }

    /** The FourCCs a connect's {@code fourCcList} names: strings, in a list (or a comma-separated string). */
    private static List<String> fourCcList(Object value) {
        if (value instanceof List<?> list) {
            return list.stream().filter(String.class::isInstance).map(String.class::cast).toList();
        }
        if (value instanceof String text && !text.isBlank()) {
            return List.of(text.split("\\s*,\\s*"));
        }
        return List.of();
    }

    /** The codecs a client plays: the Flash-era ones, and those its FourCCs name ({@code *}: every one). */
    private static java.util.Set<String> videoCodecs(List<String> fourCcs) {
        java.util.Set<String> codecs = new java.util.LinkedHashSet<>(ServerConnection.CLASSIC_CODECS);
        for (FlvVideoCodec codec : FlvVideoCodec.values()) {
            if (codec.fourCc() != null && (fourCcs.contains(codec.fourCc()) || fourCcs.contains("*"))) {
                codecs.add(codec.codecName());
            }
        }
        return codecs;
    }

    private void createStream(ClientCommand.CreateStream create) {
        int max = context.options().maxStreamsPerConnection();
        if (streams.size() >= max) {
            answer(create.transactionId(), CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetConnection.Call.Failed", "a connection may have at most " + max + " streams")));
            return;
        }
        int streamId = nextStreamId++;
        streams.put(streamId, new ServerStream(connection.streamOwner(), context.playback(), streamId));
        answer(create.transactionId(), CallResult.success((double) streamId));
    }

    private void deleteStream(int streamId) {
        ServerStream stream = streams.remove(streamId);
        if (stream != null) {
            stop(stream, true);
            stream.delete(true);
        }
    }

    /** Plays the stream's own render, or joins the broadcast its name names. */
    private void play(ServerStream stream, ClientCommand.Play play) {
        int id = stream.id();
        if (watchers.containsKey(id)) {
            PlayStatus.failed(connection.streamOwner(), id, "NetStream.Play.Failed", "stream " + id
                    + " is already playing");
            return;
        }
        ServerBroadcast shared = stream.isPlaying() ? null
                : context.broadcasts().find(connection.app(), play.streamName());
        if (shared == null) {
            stream.play(play);
            return;
        }
        BroadcastWatcher watcher = BroadcastWatcher.join(shared, connection.streamOwner(), context.metrics(), id,
                play.streamName(), () -> watchers.remove(id));
        if (watcher != null) {
            watchers.put(id, watcher);
        }
    }

    private void pause(ServerStream stream, ClientCommand.Pause pause) {
        BroadcastWatcher watcher = watchers.get(stream.id());
        if (watcher != null) {
            watcher.pause(pause.pausing());
        } else {
            stream.pause(pause);
        }
    }

    private void stop(ServerStream stream, boolean tellPlayer) {
        BroadcastWatcher watcher = watchers.get(stream.id());
        if (watcher != null) {
            watcher.leave(tellPlayer);
        } else {
            stream.stop(tellPlayer);
        }
    }

    private void withStream(int streamId, String what, java.util.function.Consumer<ServerStream> action) {
        ServerStream stream = streams.get(streamId);
        if (stream == null) {
            viewer.sendStatus(streamId, StatusMessages.LEVEL_ERROR, "NetStream.Play.Failed",
                    "'" + what + "' on stream " + streamId + ", which was not created");
            return;
        }
        action.accept(stream);
    }

    private void refusePublish(ClientCommand.Publish publish, int messageStreamId) {
        if (publish.name().equals("publish")) {
            viewer.sendStatus(messageStreamId, StatusMessages.LEVEL_ERROR, "NetStream.Publish.Denied",
                    PUBLISH_DENIED);
        } else {
            answer(publish.transactionId(), CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetStream.Publish.Denied", PUBLISH_DENIED)));
        }
    }

    private void call(ClientCommand.Call call) {
        CallResult result = broadcastCall(call);
        if (result == null) {
            CallHandler handler = connection.callHandler(call.procedure());
            if (handler == null && PLAY_HELPERS.containsKey(call.procedure())) {
                // Players send these around play; live streams have nothing to say to them but yes.
                result = CallResult.success(PLAY_HELPERS.get(call.procedure()));
            } else if (handler == null) {
                result = failed("no handler for procedure '" + call.procedure() + "'");
            } else {
                result = invoke(handler, call);
            }
        }
        if (call.expectsAnswer()) {
            answer(call.transactionId(), result);
        }
    }

    /**
     * A call about a broadcast this connection watches: asking for control, giving it up, or one of the
     * broadcast's procedures, which only a controller reaches. Null for any other call.
     */
    private CallResult broadcastCall(ClientCommand.Call call) {
        for (BroadcastWatcher watcher : watchers.values()) {
            BroadcastControl control = watcher.control();
            BroadcastControl.Answer answer = switch (call.procedure()) {
                case "requestControl" -> control.request(connection);
                case "releaseControl" -> control.release(connection);
                default -> null;
            };
            if (answer != null) {
                return answer.refusal() == null ? CallResult.success(answer.state()) : failed(answer.refusal());
            }
            CallHandler handler = control.procedure(call.procedure());
            if (handler != null && control.controls(connection)) {
                return invoke(handler, call);
            }
            if (handler != null) {
                context.metrics().controlCallRefused();
                control.callRefused();
                return failed("'" + call.procedure() + "' steers " + watcher + ", which this connection watches: "
                        + control.describe() + "; ask for control with requestControl");
            }
        }
        return null;
    }

    private CallResult invoke(CallHandler handler, ClientCommand.Call call) {
        try {
            CallResult result = handler.handle(connection, call.procedure(), call.commandObject(), call.arguments());
            return result == null ? CallResult.success(null) : result;
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                    "{0}: call handler for ''{1}'' threw {2}", connection,
                    call.procedure(), e.toString());
            return failed(CallFailure.describe(call.procedure(), call.arguments(), e, handler.getClass()));
        }
    }

    private static CallResult failed(String why) {
        return CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR, "NetConnection.Call.Failed", why));
    }

    /** Answers with {@code _result} or {@code _error}, unless the client asked for no answer. */
    private void answer(double transactionId, CallResult result) {
        if (transactionId == 0) {
            return;
        }
        viewer.sendCommand(0, new Command(result.succeeded() ? "_result" : "_error", transactionId, null,
                Collections.singletonList(result.value())));
    }

    private void protocolError(String what) {
        ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                "{0}: closing after a protocol error: {1}", connection, what);
        viewer.close();
    }

    /** Tells every stream's player a status, such as why the server ends its stream. */
    void tellEveryStream(String code, String description) {
        for (ServerStream stream : streams.values()) {
            if (stream.isPlaying() || watchers.containsKey(stream.id())) {
                viewer.sendStatus(stream.id(), StatusMessages.LEVEL_STATUS, code, description);
            }
        }
    }

    /** Every stream that plays stops, telling its player. */
    void stopAllStreams() {
        for (ServerStream stream : streams.values()) {
            stop(stream, true);
        }
    }

    /** The connection is over: every stream ends, the connect handler is told. */
    void end() {
        if (ended) {
            return;
        }
        for (ServerStream stream : streams.values()) {
            stop(stream, false);
            stream.delete(false);
        }
        streams.clear();
        context.broadcasts().connectionEnded(connection);
        if (claimedBy != null) {
            HandlerCalls.call(connection, "connect handler on disconnect",
                    () -> claimedBy.handle(false, connection, Map.of(), List.of()), false);
        }
        ended = true;
        connection.terminated();
    }
}
