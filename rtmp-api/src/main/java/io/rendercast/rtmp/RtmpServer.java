package io.rendercast.rtmp;

import io.rendercast.rtmp.spi.RtmpServerFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ServiceLoader;

/**
 * An RTMP server that plays server-rendered streams to players.
 *
 * <p>Connect handlers decide which connections are served: on each RTMP {@code connect} they are asked in the
 * order they were added, and the first that returns {@code true} claims the connection. When none does, the
 * client is told {@code NetConnection.Connect.Rejected} and its socket is closed.
 *
 * <p>Each connection runs all of its handlers on a thread of its own (a virtual thread, started when the client
 * sends something and gone while the connection is idle), one at a time, in the order the client's messages
 * arrived; a slow handler delays only its own connection. Each playing stream has a render thread and a frame
 * thread (platform threads, so a GPU context made current on one stays there), so slow rendering never stalls
 * the network and a slow player never stalls rendering. No handler ever runs on a network thread.
 *
 * <p>Handlers may throw. What a throw ends is stated on each handler: a stream, a call (answered {@code _error}),
 * or a refused connection; the reason is logged once and nothing else is harmed.
 *
 * <p>Shutting down: the server's network, render and frame threads are not daemon threads, so a started server
 * keeps the JVM serving after {@code main} returns, as servers do, and {@link #close()} ends every one of them.
 * The server installs no shutdown hook of its own; an application that should stop cleanly on {@code SIGTERM}
 * (players told, encoders flushed) adds one: {@code Runtime.getRuntime().addShutdownHook(new
 * Thread(server::close))}. One whose work is done in {@code main} closes it there, or opens it in a
 * try-with-resources block.
 *
 * <p>Thread-safe.
 */
public interface RtmpServer extends AutoCloseable {

    /**
     * Creates a server with the first {@link RtmpServerFactory} found by {@link ServiceLoader}.
     *
     * @throws IllegalStateException when no server implementation is on the module path
     */
    static RtmpServer create() {
        return create(RtmpServerOptions.defaults());
    }

    /**
     * Creates a server with these options, with the first {@link RtmpServerFactory} found by {@link ServiceLoader}.
     *
     * @throws IllegalStateException when no server implementation is on the module path
     */
    static RtmpServer create(RtmpServerOptions options) {
        return ServiceLoader.load(RtmpServerFactory.class)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "no RTMP server implementation found: put the io.rendercast.rtmp.server module "
                                + "(artifact rtmp-server) on the module path"))
                .createServer(options);
    }

    /**
     * Starts listening and serving. Port 0 picks a free port; {@link #listenAddress()} tells which.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException when the server was started or closed before
     */
    void start(InetSocketAddress listenAddress) throws IOException;

    /** The address the server is bound to, with the real port; {@code null} before {@link #start}. */
    InetSocketAddress listenAddress();

    /**
     * Serves browsers and FLV players on an HTTP port as well, after {@link #start}: the viewer page at {@code /}
     * (which plays {@code ?stream=APP/STREAM}, {@code live/demo} by default), and each stream over WebSocket
     * ({@code /ws/APP/STREAM}), WebSocket-FLV ({@code /ws-flv/APP/STREAM}) and HTTP-FLV
     * ({@code /APP/STREAM.flv}). Such a viewer is a {@link Connection} like an RTMP one to the application: the
     * same connect handlers (the path gives the app, the query is connect's first argument), the same stream,
     * play, call, render and frame handlers, the same back-pressure. Port 0 picks a free port.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException before {@link #start}, after {@link #close}, or when already started
     */
    void startHttp(InetSocketAddress address) throws IOException;

    /**
     * As {@link #startHttp(InetSocketAddress)}, inside TLS: HTTPS and WSS, with the certificate chain and PKCS#8
     * private key in PEM files. Off localhost a browser offers WebCodecs only to secure pages, so a remote viewer
     * needs this to decode without the buffered FLV path.
     *
     * @throws IOException when the address cannot be bound or the files cannot be read as a certificate and key
     */
    void startHttps(InetSocketAddress address, java.nio.file.Path certificateChain, java.nio.file.Path privateKey)
            throws IOException;

    /**
     * Serves the application's own page and files on the HTTP port, from {@code folder}, at their paths: {@code /}
     * is its {@code index.html}, {@code /app.js} its {@code app.js}. They take the place of the built-in viewer
     * page, which stays at {@code /viewer.html}; the browser client that a page imports
     * ({@code import { RendercastPlayer } from '/rendercast.js'}) and the stream paths stay as they are. Only
     * regular files inside the folder are served (no {@code ..}, no hidden files), read at each request, up to
     * 8 MiB each. Any time, before or after {@link #startHttp}; {@code null} stops serving them.
     *
     * @throws IllegalArgumentException when {@code folder} is not a folder
     */
    void serveFiles(java.nio.file.Path folder);

    /**
     * Answers HAProxy's agent checks on a TCP port of its own, after {@link #start}: each connection gets one line
     * and is closed, {@code up 40%} (the server's room, which HAProxy takes as the node's weight), {@code drain}
     * while it drains, or {@code down} while it is full. Port 0 picks a free port.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException before {@link #start}, after {@link #close}, or when already started
     */
    void startAgentCheck(InetSocketAddress address) throws IOException;

    /**
     * Serves WebRTC players as well, after {@link #start}: WHEP (RFC 9725) on the HTTP port
     * ({@code POST /whep/APP/STREAM} with an SDP offer; the query is connect's first argument, as for the page's
     * WebSocket), and the media on this one UDP port, ICE-lite, DTLS-SRTP, H.264 in RTP. Each WHEP player is a
     * connection through the same handlers. Port 0 picks a free port; 8189 is the usual one. The answer's one
     * candidate is the address the player reached the HTTP port at, or the one this port is bound to.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalStateException before {@link #start}, after {@link #close}, or when already started
     */
    default void startWebRtc(InetSocketAddress address) throws IOException {
        startWebRtc(address, null);
    }

    /**
     * As {@link #startWebRtc(InetSocketAddress)}, with the answer's candidate naming {@code candidateHost} (an
     * address or a name players resolve): where players reach this UDP port when that is not where they reached the
     * HTTP port, as for a node behind a load balancer that carries HTTP but not UDP, or behind NAT. Null: as there.
     *
     * @throws IOException when the address cannot be bound
     * @throws IllegalArgumentException when {@code candidateHost} is blank or has a space in it
     * @throws IllegalStateException before {@link #start}, after {@link #close}, or when already started
     */
    void startWebRtc(InetSocketAddress address, String candidateHost) throws IOException;

    /** The address the WebRTC port is bound to; {@code null} when it was not started. */
    InetSocketAddress webRtcAddress();

    /** The address the agent check port is bound to; {@code null} when it was not started. */
    InetSocketAddress agentCheckAddress();

    /** How much more the server can take now, and why not when it takes no new viewers. */
    ServerCapacity capacity();

    /**
     * Drains the server, for an upgrade or a move: from now on new connections are refused with the reason,
     * {@code /health} answers {@code 503}, and the agent check {@code drain}. Players already playing go on
     * until they leave, or until {@code deadline}; then each is told ({@code NetStream.Play.UnpublishNotify}
     * with the reason) and closed, nothing cut mid-frame. The future completes once no connection is left;
     * the application then closes the server. Calling it again returns the same future.
     */
    java.util.concurrent.CompletableFuture<Void> drain(java.time.Duration deadline);

    /** The address the HTTP port is bound to; {@code null} when it was not started. */
    InetSocketAddress httpAddress();

    /**
     * Serves RTMPS as well, after {@link #start}: RTMP inside TLS on a second port, with the certificate chain
     * and private key in PEM files (the key in PKCS#8). The same connect handlers serve it.
     *
     * @throws IOException when the address cannot be bound or the files cannot be read as a certificate and key
     * @throws IllegalStateException before {@link #start}, after {@link #close}, or when already started
     */
    void startRtmps(InetSocketAddress address, java.nio.file.Path certificateChain, java.nio.file.Path privateKey)
            throws IOException;

    /** The address the RTMPS port is bound to; {@code null} when it was not started. */
    InetSocketAddress rtmpsAddress();

    /**
     * Shares one render loop and one encoder among every player that plays {@code streamName} on a connection to
     * {@code app} (see {@link Broadcast}); set the broadcast up through its {@link Broadcast#stream()}. The connect
     * handlers still decide who connects; the connection's stream handler is not asked for a broadcast's name.
     *
     * @param join how a player that joins while it runs starts
     * @throws IllegalStateException when a broadcast of that app and name exists, or the server is closed
     */
    Broadcast startBroadcast(String app, String streamName, Broadcast.Join join);

    /** Adds a connect handler after those already added. Adding one twice has no effect. */
    void addConnectHandler(ConnectHandler handler);

    /** Removes a connect handler; connections it claimed keep it until they end. */
    void removeConnectHandler(ConnectHandler handler);

    /**
     * Stops listening, ends every stream cleanly (play handlers told of the stop, Stream EOF sent) and closes
     * every connection. Returns when all server threads have finished. Calling it again has no effect.
     */
    @Override
    void close();
}
