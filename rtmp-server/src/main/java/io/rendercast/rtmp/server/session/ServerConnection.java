package io.rendercast.rtmp.server.session;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ConnectionStatistics;
import io.rendercast.rtmp.PropertyResult;
import io.rendercast.rtmp.RemoteCallException;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.server.ServerOptions;
import io.rendercast.rtmp.server.chunk.RawMessage;
import io.rendercast.rtmp.server.message.ChunkStreams;
import io.rendercast.rtmp.server.message.Command;
import io.rendercast.rtmp.server.message.ControlMessages;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * One client connection: its handlers, its streams, and the thread they all run on.
 *
 * <p>The connection thread ({@code rtmp-connection-N}) runs every handler of this connection in the order the
 * client's commands came. Its queue is bounded: a client that sends commands faster than its handlers answer
 * them is closed rather than allowed to grow the server's memory.
 */
public final class ServerConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

    private final long id;
    private final Channel channel;
    private final ServerOptions options;
    private final List<ConnectHandler> connectHandlers;
    private final ByteCounter bytes;
    private final Consumer<ServerConnection> onTerminated;
    private final ThreadPoolExecutor thread;
    private final long startNanos = System.nanoTime();
    private final Map<String, CallHandler> callHandlers = new ConcurrentHashMap<>();
    private final Properties properties = new Properties();
    private final Map<Integer, ServerStream> streams = new ConcurrentHashMap<>();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicLong messagesIn = new AtomicLong();
    private final AtomicLong messagesOut = new AtomicLong();
    private final AtomicLong framesSent = new AtomicLong();
    private final AtomicLong framesDropped = new AtomicLong();
    private volatile CallHandler defaultCallHandler;
    private volatile StreamEventHandler streamEventHandler;
    private volatile long roundTripNanos;
    private volatile int digestScheme = -1;
    private final AtomicLong nextCallId = new AtomicLong(1);
    private final Map<Double, PendingCall> pendingCalls = new ConcurrentHashMap<>();
    /** Pings not yet answered, by the timestamp they carry; a few at most, since unanswered ones are dropped. */
    private final Map<Integer, Long> pingsInFlight = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, Long> eldest) {
            return size() > 8;
        }
    };

    private record PendingCall(String procedure, CompletableFuture<Object> result) {
    }

    /** Calls players make around play (librtmp, ffmpeg, Flash), answered for them unless the application does. */
    private static final Map<String, Object> PLAY_HELPERS = Map.of("FCSubscribe", "subscribed",
            "FCUnsubscribe", "unsubscribed", "getStreamLength", 0.0);

    // Touched on the connection thread only.
    private ConnectHandler claimedBy;
    private boolean connected;
    private boolean ended;
    private int nextStreamId = 1;

    public ServerConnection(long id, Channel channel, ServerOptions options, List<ConnectHandler> connectHandlers,
                            ByteCounter bytes, Consumer<ServerConnection> onTerminated) {
        this.id = id;
        this.channel = channel;
        this.options = options;
        this.connectHandlers = connectHandlers;
        this.bytes = bytes;
        this.onTerminated = onTerminated;
        // The queue itself is unbounded so that the server's own tasks (stop, end) always get in; what the
        // client can queue is bounded in submitCommand.
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(),
                runnable -> {
                    Thread t = new Thread(runnable, "rtmp-connection-" + id);
                    t.setDaemon(true);
                    return t;
                });
    }

    // ---- called from the network thread ----

    /** The handshake is done; RTMP messages follow. */
    public void handshakeDone(int digestScheme) {
        this.digestScheme = digestScheme;
        LOG.log(System.Logger.Level.DEBUG, "{0}: {1} handshake done", this,
                digestScheme < 0 ? "simple" : "digest (scheme " + digestScheme + ")");
    }

    /** The digest scheme of the handshake (0 or 1), or -1 for the simple one. */
    public int digestScheme() {
        return digestScheme;
    }

    /**
     * Queues a command for the connection thread. A client whose handlers have more than
     * {@code maxPendingCommands} commands still to answer is closed rather than allowed to grow the queue.
     */
    public void submitCommand(Command command, int messageStreamId) {
        if (thread.getQueue().size() >= options.maxPendingCommands()) {
            LOG.log(System.Logger.Level.WARNING, "{0}: more than {1} commands waiting for their handlers; "
                    + "closing the connection", this, options.maxPendingCommands());
            channel.close();
            return;
        }
        execute(() -> handleCommand(command, messageStreamId));
    }

    /** The socket closed, for whatever reason: end every stream and tell the connect handler. */
    public void channelClosed() {
        if (closing.compareAndSet(false, true)) {
            execute(this::end);
        }
    }

    void countMessageIn() {
        messagesIn.incrementAndGet();
    }

    void countMessageOut() {
        messagesOut.incrementAndGet();
    }

    /** A ping goes out now: returns the timestamp it carries, and remembers when it left. Network thread only. */
    int pingSent() {
        int timestamp = uptimeMillis();
        pingsInFlight.put(timestamp, System.nanoTime());
        return timestamp;
    }

    /** The client echoed a ping's timestamp. Network thread only. */
    void pingAnswered(int timestamp) {
        Long sentNanos = pingsInFlight.remove(timestamp);
        if (sentNanos != null) {
            roundTripNanos = System.nanoTime() - sentNanos;
        }
    }

    long bytesIn() {
        return bytes.bytesIn();
    }

    int uptimeMillis() {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    ServerOptions options() {
        return options;
    }

    // ---- used by streams ----

    Channel channel() {
        return channel;
    }

    /** Runs a task on the connection thread; if the connection is over, the task is dropped. */
    void execute(Runnable task) {
        try {
            thread.execute(() -> {
                try {
                    task.run();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, this + ": handler failed; closing the connection", e);
                    channel.close();
                }
            });
        } catch (RejectedExecutionException e) {
            // The connection has ended and its thread is gone: nothing is left to do the task for.
        }
    }

    void send(RawMessage message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    void countFrameSent() {
        framesSent.incrementAndGet();
    }

    void countFrameDropped() {
        framesDropped.incrementAndGet();
    }

    StreamEventHandler streamEventHandler() {
        return streamEventHandler;
    }

    void sendCommand(int messageStreamId, Command command) {
        int chunkStream = messageStreamId == 0 ? ChunkStreams.COMMAND : ChunkStreams.STREAM_COMMAND;
        send(command.toMessage(channel.alloc(), chunkStream, messageStreamId));
    }

    void sendStatus(int messageStreamId, String level, String code, String description) {
        sendCommand(messageStreamId, new Command("onStatus", 0, null,
                List.of(StatusMessages.status(level, code, description))));
    }

    // ---- the connection thread ----

    private void handleCommand(Command command, int messageStreamId) {
        if (ended) {
            return;
        }
        if (!connected && !command.name().equals("connect")) {
            protocolError("'" + command.name() + "' before connect");
            return;
        }
        switch (command.name()) {
            case "connect" -> connect(command);
            case "createStream" -> createStream(command);
            case "play" -> withStream(messageStreamId, command, stream -> stream.play(command));
            case "pause" -> withStream(messageStreamId, command, stream -> stream.pause(command));
            case "closeStream" -> withStream(messageStreamId, command, stream -> stream.stop(true));
            case "deleteStream" -> deleteStream(command);
            case "publish" -> sendStatus(messageStreamId, StatusMessages.LEVEL_ERROR, "NetStream.Publish.Denied",
                    "Rendercast plays rendered streams; it does not accept published ones");
            case "releaseStream", "FCPublish", "FCUnpublish" -> answer(command, CallResult.error(
                    StatusMessages.status(StatusMessages.LEVEL_ERROR, "NetStream.Publish.Denied",
                            "Rendercast plays rendered streams; it does not accept published ones")));
            case "_result", "_error" -> callAnswered(command);
            // Flow control requests need no answer.
            case "receiveAudio", "receiveVideo", "onStatus" -> {
            }
            default -> call(command);
        }
    }

    private void connect(Command command) {
        if (connected) {
            protocolError("a second connect on one connection");
            return;
        }
        Map<String, Object> commandObject = command.commandObject() instanceof Map<?, ?> map
                ? stringKeys(map) : Map.of();
        for (ConnectHandler handler : connectHandlers) {
            if (handler.handle(true, this, commandObject, command.arguments())) {
                claimedBy = handler;
                break;
            }
        }
        if (claimedBy == null) {
            LOG.log(System.Logger.Level.INFO, "{0}: refused: no connect handler claimed app {1}", this,
                    commandObject.get("app"));
            Map<String, Object> rejected = StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetConnection.Connect.Rejected", "NetConnection.Connect.Rejected: no connect handler accepted app '"
                            + commandObject.get("app") + "'");
            channel.writeAndFlush(new Command("_error", command.transactionId(), null, List.of(rejected))
                            .toMessage(channel.alloc(), ChunkStreams.COMMAND, 0))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        connected = true;
        send(ControlMessages.windowAcknowledgementSize(channel.alloc(), options.windowAckSize()));
        send(ControlMessages.setPeerBandwidth(channel.alloc(), options.windowAckSize(), ControlMessages.LIMIT_DYNAMIC));
        send(ControlMessages.setChunkSize(channel.alloc(), options.chunkSize()));
        sendCommand(0, new Command("_result", command.transactionId(), StatusMessages.serverProperties(),
                List.of(StatusMessages.connectSuccess(objectEncoding(commandObject)))));
    }

    /** AMF3 (3) when the client asked for it, else AMF0 (0): what it will send and accept in values. */
    private static double objectEncoding(Map<String, Object> commandObject) {
        return commandObject.get("objectEncoding") instanceof Number n && n.intValue() == 3 ? 3.0 : 0.0;
    }

    private void createStream(Command command) {
        if (streams.size() >= options.maxStreams()) {
            answer(command, CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                    "NetConnection.Call.Failed", "a connection may have at most " + options.maxStreams() + " streams")));
            return;
        }
        int streamId = nextStreamId++;
        streams.put(streamId, new ServerStream(this, streamId));
        answer(command, CallResult.success((double) streamId));
    }

    private void deleteStream(Command command) {
        if (command.argument(0) instanceof Double streamId) {
            ServerStream stream = streams.remove(streamId.intValue());
            if (stream != null) {
                stream.delete(true);
            }
        }
    }

    private void withStream(int messageStreamId, Command command, Consumer<ServerStream> action) {
        ServerStream stream = streams.get(messageStreamId);
        if (stream == null) {
            sendStatus(messageStreamId, StatusMessages.LEVEL_ERROR, "NetStream.Play.Failed",
                    "'" + command.name() + "' on stream " + messageStreamId + ", which was not created");
            return;
        }
        action.accept(stream);
    }

    private void call(Command command) {
        CallHandler handler = callHandlers.getOrDefault(command.name(), defaultCallHandler);
        CallResult result;
        if (handler == null && PLAY_HELPERS.containsKey(command.name())) {
            // Players send these around play; live streams have nothing to say to them but yes.
            result = CallResult.success(PLAY_HELPERS.get(command.name()));
        } else if (handler == null) {
            result = CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR, "NetConnection.Call.Failed",
                    "no handler for procedure '" + command.name() + "'"));
        } else {
            try {
                result = handler.handle(this, command.name(), command.commandObject(), command.arguments());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, this + ": call handler for '" + command.name() + "' threw", e);
                result = CallResult.error(StatusMessages.status(StatusMessages.LEVEL_ERROR,
                        "NetConnection.Call.Failed", "procedure '" + command.name() + "' failed: " + e));
            }
            if (result == null) {
                result = CallResult.success(null);
            }
        }
        answer(command, result);
    }

    /** Answers a command with {@code _result} or {@code _error}, unless it asked for no answer. */
    private void answer(Command command, CallResult result) {
        if (command.transactionId() == 0) {
            return;
        }
        sendCommand(0, new Command(result.succeeded() ? "_result" : "_error", command.transactionId(), null,
                Collections.singletonList(result.value())));
    }

    private void callAnswered(Command answer) {
        PendingCall call = pendingCalls.remove(answer.transactionId());
        if (call == null) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: {1} for transaction {2}, which is not a call in progress", this,
                    answer.name(), answer.transactionId());
            return;
        }
        Object value = answer.arguments().isEmpty() ? answer.commandObject() : answer.argument(0);
        if (answer.name().equals("_result")) {
            call.result().complete(value);
        } else {
            call.result().completeExceptionally(new RemoteCallException(call.procedure(), value));
        }
    }

    private void protocolError(String what) {
        LOG.log(System.Logger.Level.WARNING, "{0}: closing after a protocol error: {1}", this, what);
        channel.close();
    }

    private void end() {
        if (ended) {
            return;
        }
        ended = true;
        for (ServerStream stream : streams.values()) {
            stream.delete(false);
        }
        streams.clear();
        for (PendingCall call : pendingCalls.values()) {
            call.result().completeExceptionally(new IOException("the connection ended before the client answered '"
                    + call.procedure() + "'"));
        }
        pendingCalls.clear();
        if (claimedBy != null) {
            try {
                claimedBy.handle(false, this, Map.of(), List.of());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, this + ": connect handler failed on disconnect", e);
            }
        }
        channel.close();
        thread.shutdown();
        onTerminated.accept(this);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> map) {
        Map<String, Object> copy = new LinkedHashMap<>();
        map.forEach((k, v) -> copy.put(String.valueOf(k), v));
        return copy;
    }

    // ---- Connection ----

    @Override
    public long id() {
        return id;
    }

    @Override
    public void registerCallHandler(String procedure, CallHandler handler) {
        if (procedure == null) {
            defaultCallHandler = handler;
        } else if (handler == null) {
            callHandlers.remove(procedure);
        } else {
            callHandlers.put(procedure, handler);
        }
    }

    @Override
    public void registerStreamEventHandler(StreamEventHandler handler) {
        streamEventHandler = handler;
    }

    @Override
    public ConnectionStatistics statistics() {
        return new ConnectionStatistics(bytes.bytesIn(), bytes.bytesOut(), messagesIn.get(), messagesOut.get(),
                framesSent.get(), framesDropped.get(), Duration.ofNanos(System.nanoTime() - startNanos),
                Duration.ofNanos(roundTripNanos));
    }

    @Override
    public InetSocketAddress peerAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public PropertyResult setProperty(String key, Object value) {
        return properties.set(key, value);
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }

    @Override
    public CompletableFuture<Object> call(String procedure, Object... arguments) {
        CompletableFuture<Object> result = new CompletableFuture<>();
        if (closing.get() || !channel.isActive()) {
            result.completeExceptionally(new IOException("the connection has ended; '" + procedure + "' not sent"));
            return result;
        }
        if (pendingCalls.size() >= options.maxPendingCalls()) {
            result.completeExceptionally(new IllegalStateException(options.maxPendingCalls()
                    + " calls to the client are waiting for answers already; '" + procedure + "' not sent"));
            return result;
        }
        double transactionId = nextCallId.getAndIncrement();
        pendingCalls.put(transactionId, new PendingCall(procedure, result));
        long timeout = options.callTimeout().toMillis();
        channel.eventLoop().schedule(() -> {
            PendingCall late = pendingCalls.remove(transactionId);
            if (late != null) {
                late.result().completeExceptionally(new TimeoutException("the client did not answer '" + procedure
                        + "' within " + timeout + " ms"));
            }
        }, timeout, TimeUnit.MILLISECONDS);
        sendCommand(0, new Command(procedure, transactionId, null, Arrays.asList(arguments)));
        // A call made after the connection ended but before it was seen to end must not wait for the timeout.
        if (closing.get() && pendingCalls.remove(transactionId) != null) {
            result.completeExceptionally(new IOException("the connection ended; '" + procedure + "' not answered"));
        }
        return result;
    }

    @Override
    public void close() {
        execute(() -> {
            for (ServerStream stream : streams.values()) {
                stream.stop(true);
            }
            channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        });
    }

    /** Waits until the connection thread has finished, after the connection ended. */
    public boolean awaitTermination(long nanos) {
        try {
            return thread.awaitTermination(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Bytes queued in Netty for this connection and not yet written to the socket. */
    public long pendingOutboundBytes() {
        return channel.unsafe().outboundBuffer() == null ? 0 : channel.unsafe().outboundBuffer().totalPendingWriteBytes();
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + channel.remoteAddress();
    }
}
