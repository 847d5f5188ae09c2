package io.rendercast.rtmp.server.session;

import io.netty.channel.ChannelFutureListener;
import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.ConnectionRefusedException;
import io.rendercast.rtmp.server.command.ClientCommand;
import io.rendercast.rtmp.server.command.Command;
import io.rendercast.rtmp.server.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import io.rendercast.rtmp.server.message.ChunkStreams;
import io.rendercast.rtmp.server.message.SetChunkSize;
import io.rendercast.rtmp.server.message.SetPeerBandwidth;
import io.rendercast.rtmp.server.message.WindowAcknowledgementSize;
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
    private final List<ConnectHandler> connectHandlers;
    private final Map<Integer, ServerStream> streams = new HashMap<>();
    private ConnectHandler claimedBy;
    private boolean connected;
    private volatile boolean ended;
    private int nextStreamId = 1;

    CommandDispatcher(ServerConnection connection, List<ConnectHandler> connectHandlers) {
        this.connection = connection;
        this.connectHandlers = connectHandlers;
    }

    boolean ended() {
        return ended;
    }

    void dispatch(ClientCommand command, int messageStreamId) {
        if (ended) {
            return;
        }
        if (!connected && !(command instanceof ClientCommand.Connect)) {
            protocolError("'" + command + "' before connect");
            return;
        }
        switch (command) {
            case ClientCommand.Connect connect -> connect(connect);
            case ClientCommand.CreateStream create -> createStream(create);
            case ClientCommand.Play play -> withStream(play.streamId(), "play", stream -> stream.play(play));
            case ClientCommand.Pause pause -> withStream(pause.streamId(), "pause", stream -> stream.pause(pause));
            case ClientCommand.CloseStream close -> withStream(close.streamId(), "closeStream",
                    stream -> stream.stop(true));
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
        for (ConnectHandler handler : connection.refusal() != null ? List.<ConnectHandler>of() : connectHandlers) {
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
            connection.metrics().refused(reason);
            ClientEventLog.log(LOG, System.Logger.Level.INFO, "{0}: refused: {1}", connection, refusal);
            Map<String, Object> rejected = StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetConnection.Connect.Rejected", "NetConnection.Connect.Rejected: " + refusal);
            connection.channel().writeAndFlush(new Command("_error", connect.transactionId(), null, List.of(rejected))
                            .toMessage(connection.channel().alloc(), ChunkStreams.COMMAND, 0))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        connected = true;
        connection.setApp(connect.commandObject().get("app"));
        var alloc = connection.channel().alloc();
        var options = connection.options();
        connection.send(new WindowAcknowledgementSize(options.windowAckSize()).toMessage(alloc));
        connection.send(new SetPeerBandwidth(options.windowAckSize(), SetPeerBandwidth.LIMIT_DYNAMIC).toMessage(alloc));
        connection.send(new SetChunkSize(options.chunkSize()).toMessage(alloc));
        Map<String, Object> properties = StatusMessages.serverProperties();
        if (!fourCcs.isEmpty()) {
            // Enhanced RTMP: answer the client's list with the FourCCs this server sends that it listed.
            properties.put("fourCcList", java.util.Arrays.stream(FlvVideoCodec.values())
                    .filter(c -> c.fourCc() != null && (fourCcs.contains(c.fourCc()) || fourCcs.contains("*")))
                    .map(FlvVideoCodec::fourCc).toList());
        }
        connection.sendCommand(0, new Command("_result", connect.transactionId(), properties,
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
        int max = connection.options().maxStreamsPerConnection();
        if (streams.size() >= max) {
            answer(create.transactionId(), CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetConnection.Call.Failed", "a connection may have at most " + max + " streams")));
            return;
        }
        int streamId = nextStreamId++;
        streams.put(streamId, new ServerStream(connection, streamId));
        answer(create.transactionId(), CallResult.success((double) streamId));
    }

    private void deleteStream(int streamId) {
        ServerStream stream = streams.remove(streamId);
        if (stream != null) {
            stream.delete(true);
        }
    }

    private void withStream(int streamId, String what, java.util.function.Consumer<ServerStream> action) {
        ServerStream stream = streams.get(streamId);
        if (stream == null) {
            connection.sendStatus(streamId, StatusMessages.LEVEL_ERROR, "NetStream.Play.Failed",
                    "'" + what + "' on stream " + streamId + ", which was not created");
            return;
        }
        action.accept(stream);
    }

    private void refusePublish(ClientCommand.Publish publish, int messageStreamId) {
        if (publish.name().equals("publish")) {
            connection.sendStatus(messageStreamId, StatusMessages.LEVEL_ERROR, "NetStream.Publish.Denied",
                    PUBLISH_DENIED);
        } else {
            answer(publish.transactionId(), CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetStream.Publish.Denied", PUBLISH_DENIED)));
        }
    }

    private void call(ClientCommand.Call call) {
        CallHandler handler = connection.callHandler(call.procedure());
        CallResult result;
        if (handler == null && PLAY_HELPERS.containsKey(call.procedure())) {
            // Players send these around play; live streams have nothing to say to them but yes.
            result = CallResult.success(PLAY_HELPERS.get(call.procedure()));
        } else if (handler == null) {
            result = CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR, "NetConnection.Call.Failed",
                    "no handler for procedure '" + call.procedure() + "'"));
        } else {
            try {
                result = handler.handle(connection, call.procedure(), call.commandObject(), call.arguments());
                if (result == null) {
                    result = CallResult.success(null);
                }
            } catch (Exception e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
                ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                        "{0}: call handler for ''{1}'' threw {2}", connection,
                        call.procedure(), e.toString());
                result = CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                        "NetConnection.Call.Failed", "procedure '" + call.procedure() + "' failed: " + e.getMessage()));
            }
        }
        if (call.expectsAnswer()) {
            answer(call.transactionId(), result);
        }
    }

    /** Answers with {@code _result} or {@code _error}, unless the client asked for no answer. */
    private void answer(double transactionId, CallResult result) {
        if (transactionId == 0) {
            return;
        }
        connection.sendCommand(0, new Command(result.succeeded() ? "_result" : "_error", transactionId, null,
                Collections.singletonList(result.value())));
    }

    private void protocolError(String what) {
        ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                "{0}: closing after a protocol error: {1}", connection, what);
        connection.channel().close();
    }

    /** Every stream that plays stops, telling its player. */
    void stopAllStreams() {
        for (ServerStream stream : streams.values()) {
            stream.stop(true);
        }
    }

    /** The connection is over: every stream ends, the connect handler is told. */
    void end() {
        if (ended) {
            return;
        }
        for (ServerStream stream : streams.values()) {
            stream.delete(false);
        }
        streams.clear();
        if (claimedBy != null) {
            HandlerCalls.call(connection, "connect handler on disconnect",
                    () -> claimedBy.handle(false, connection, Map.of(), List.of()), false);
        }
        ended = true;
        connection.terminated();
    }
}
