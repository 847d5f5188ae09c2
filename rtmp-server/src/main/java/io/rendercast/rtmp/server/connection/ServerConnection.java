package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ConnectionStatistics;
import io.rendercast.rtmp.PropertyResult;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.StreamEventHandler;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.Properties;
import io.rendercast.rtmp.server.common.ServerLimits;
import io.rendercast.rtmp.server.playback.StreamOwner;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import io.rendercast.rtmp.server.transport.ByteCounter;

/**
 * One client connection as the application sees it: its handlers, its properties, and the calls the server makes
 * to it. What the client's commands mean is decided by the {@link CommandDispatcher} on the connection's own
 * thread; the network side is the {@link RtmpSessionHandler}; its figures are the {@link ConnectionCounters}.
 */
public final class ServerConnection implements Connection {

    private static final System.Logger LOG = System.getLogger(ServerConnection.class.getName());

    private final long id;
    private final ViewerTransport viewer;
    private final RtmpServerOptions options;
    private final ServerLimits.Slots slot;
    private final String refusal;
    private final ConnectionCounters counters;
    private final Consumer<ServerConnection> onTerminated;
    private final ConnectionExecutor executor;
    private final CommandDispatcher dispatcher;
    private final OutgoingCalls outgoingCalls;
    private final Map<String, CallHandler> callHandlers = new ConcurrentHashMap<>();
    private final Properties properties = new Properties();
    private final AtomicBoolean closing = new AtomicBoolean();
    private final AtomicBoolean floodReported = new AtomicBoolean();
    private volatile CallHandler defaultCallHandler;
    private volatile StreamEventHandler streamEventHandler;
    private volatile int digestScheme = -1;
    private volatile Set<String> videoCodecs = CLASSIC_CODECS;
    private volatile String app;
    private final StreamOwner streamOwner = new ConnectionStreamOwner(this);

    /** What every RTMP client plays: the Flash-era codecs. */
    static final Set<String> CLASSIC_CODECS = Set.of("h264", "sorenson", "screen video");

    /**
     * @param viewer       where the connection's messages go, and whose commands arrive at {@link #receive}
     * @param admission    the place this connection holds in the server-wide count, given back when it ends, and
     *                     why it is refused at {@code connect} whatever the handlers say (or null)
     * @param traffic      counts the bytes the connection reads and writes
     * @param onTerminated told once the connection has ended
     */
    public ServerConnection(long id, ViewerTransport viewer, ConnectionContext context, Admission.Ticket admission,
                            ByteCounter traffic, Consumer<ServerConnection> onTerminated) {
        this.id = id;
        this.viewer = viewer;
        this.options = context.options();
        this.slot = admission.slot();
        this.refusal = admission.refusal();
        this.counters = new ConnectionCounters(traffic, context.metrics());
        this.onTerminated = onTerminated;
        this.executor = new ConnectionExecutor(id, options.maxPendingCommands());
        this.dispatcher = new CommandDispatcher(this, context);
        this.outgoingCalls = new OutgoingCalls(options.maxPendingCalls(), options.callTimeout());
    }

    // ---- the network thread ----

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
     * A command the client sent, from whichever transport carries it (RTMP, or a browser's WebSocket): an answer
     * to a call of the server's is taken at once, anything else queued for the connection thread.
     */
    public void receive(ClientCommand command, int messageStreamId) {
        if (command instanceof ClientCommand.CallAnswer answer) {
            callAnswered(answer);
        } else {
            submitCommand(command, messageStreamId);
        }
    }

    /**
     * Queues a command for the connection thread. A client whose handlers have more than
     * {@code maxPendingCommands} commands still to answer is closed rather than allowed to grow the queue.
     */
    void submitCommand(ClientCommand command, int messageStreamId) {
        if (!executor.submitFromClient(() -> dispatcher.dispatch(command, messageStreamId))) {
            if (floodReported.compareAndSet(false, true)) {
                ClientEventLog.log(LOG, System.Logger.Level.WARNING,
                        "{0}: more than {1} commands waiting for their handlers; "
                        + "closing the connection", this, options.maxPendingCommands());
            }
            viewer.close();
        }
    }

    /** The client answered a call of the server's: taken here, never behind the commands queued for handlers. */
    void callAnswered(ClientCommand.CallAnswer answer) {
        if (!outgoingCalls.answered(answer.transactionId(), answer.succeeded(), answer.value())) {
            LOG.log(System.Logger.Level.DEBUG, "{0}: an answer for transaction {1}, which is not a call in progress",
                    this, answer.transactionId());
        }
    }

    /** The socket closed, for whatever reason: end every stream and tell the connect handler. */
    public void channelClosed() {
        if (closing.compareAndSet(false, true)) {
            executor.submit(dispatcher::end);
        }
    }

    /** Pings to this client and their round trips; network thread. */
    public PingTracker pings() {
        return counters.pings();
    }

    ConnectionCounters counters() {
        return counters;
    }

    RtmpServerOptions options() {
        return options;
    }

    // ---- the dispatcher and the streams ----

    /** Where the connection's messages go. */
    public ViewerTransport viewer() {
        return viewer;
    }

    /** What the streams of this connection need of it. */
    StreamOwner streamOwner() {
        return streamOwner;
    }

    /** Why this connection is refused at connect whatever the handlers say (the server is full), or null. */
    String refusal() {
        return refusal;
    }

    /** The application name the client connected to, without a query or trailing slash; null before connect. */
    String app() {
        return app;
    }

    void setApp(Object app) {
        String name = app instanceof String s ? s : "";
        int query = name.indexOf('?');
        name = query >= 0 ? name.substring(0, query) : name;
        while (name.endsWith("/")) {
            name = name.substring(0, name.length() - 1);
        }
        this.app = name;
    }

    /** Runs one of the server's own tasks on the connection thread; dropped once the connection has ended. */
    void execute(Runnable task) {
        executor.submit(task);
    }

    CallHandler callHandler(String procedure) {
        return callHandlers.getOrDefault(procedure, defaultCallHandler);
    }

    StreamEventHandler streamEventHandler() {
        return streamEventHandler;
    }

    /** The connection has ended: its calls fail, its thread stops, its slot is free. Connection thread. */
    void terminated() {
        outgoingCalls.failAll("the connection ended");
        viewer.close();
        executor.shutdown();
        slot.release();
        onTerminated.accept(this);
    }

    // ---- Connection ----

    @Override
    public long id() {
        return id;
    }

    /** The procedures its call handlers answer now; null when a default handler answers any name. */
    Set<String> procedures() {
        return defaultCallHandler != null ? null : java.util.Set.copyOf(callHandlers.keySet());
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
        return counters.statistics();
    }

    @Override
    public Set<String> videoCodecs() {
        return videoCodecs;
    }

    /** What the client's connect said it plays; connection thread, at connect. */
    void setVideoCodecs(Set<String> codecs) {
        this.videoCodecs = Set.copyOf(codecs);
    }

    @Override
    public InetSocketAddress peerAddress() {
        return viewer.peerAddress();
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
        if (closing.get() || !viewer.isOpen()) {
            result.completeExceptionally(new IOException("the connection has ended; '" + procedure + "' not sent"));
            return result;
        }
        double transactionId = outgoingCalls.register(procedure, result, viewer.executor());
        if (transactionId != 0) {
            viewer.sendCommand(0, new Command(procedure, transactionId, null, Arrays.asList(arguments)));
            // A call made as the connection ended must not wait for the timeout.
            if (closing.get()) {
                outgoingCalls.fail(transactionId, new IOException("the connection ended; '" + procedure
                        + "' not answered"));
            }
        }
        return result;
    }

    @Override
    public void close() {
        execute(() -> {
            dispatcher.stopAllStreams();
            closeAfterFlush();
        });
    }

    /**
     * The server drained past its deadline: every stream's player is told why ({@code
     * NetStream.Play.UnpublishNotify}), its streams stop as at a close, and the connection closes.
     */
    public void closeDrained(String why) {
        execute(() -> {
            dispatcher.tellEveryStream("NetStream.Play.UnpublishNotify", why);
            dispatcher.stopAllStreams();
            closeAfterFlush();
        });
    }

    /**
     * Closes once what is queued has gone out, or after the stop timeout when the client reads nothing: a
     * stalled player never drains its queue, and must not keep its connection that way.
     */
    void closeAfterFlush() {
        viewer.closeAfterFlush(options.stopTimeout());
    }

    /** Waits until the connection has ended and its thread is idle. */
    public boolean awaitTermination(long nanos) {
        try {
            long deadline = System.nanoTime() + nanos;
            while (!dispatcher.ended()) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                TimeUnit.MILLISECONDS.sleep(5);
            }
            return executor.awaitIdle(Math.max(0, deadline - System.nanoTime()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public String toString() {
        return "connection " + id + " from " + viewer.peerAddress();
    }
}
