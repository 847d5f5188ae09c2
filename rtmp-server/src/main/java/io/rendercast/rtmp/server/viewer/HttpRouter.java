package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.server.transport.ByteCounter;
import io.rendercast.rtmp.server.connection.ConnectionCloseHandler;
import io.rendercast.rtmp.server.connection.RtmpSessionHandler;
import io.rendercast.rtmp.server.connection.ServerConnection;
import io.rendercast.rtmp.server.connection.ViewerPlay;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The HTTP port's one request handler: serves the viewer page and its script, and turns a request for a stream
 * (WebSocket, WebSocket-FLV or HTTP-FLV) into a connection that the application sees as it sees an RTMP one:
 * the same connect handlers (the path's app, the query as connect's argument), the same stream, play, call,
 * render and frame handlers. The request's pipeline is then rebuilt for its transport.
 */
public final class HttpRouter extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final System.Logger LOG = System.getLogger(HttpRouter.class.getName());
    /** The largest WebSocket frame a page may send: every text message is one frame. */
    static final int MAX_WEBSOCKET_FRAME = 64 * 1024;

    private final RtmpServerOptions options;
    private final ServerMetrics metrics;
    private final Function<io.netty.channel.Channel, ServerConnection> connections;
    private final PageFiles pageFiles;
    private final java.util.function.Supplier<io.rendercast.rtmp.ServerCapacity> capacity;
    private final HttpRoute whep;

    /**
     * @param connections opens a connection on a channel, or closes it and returns null when the server is full
     * @param pageFiles   the application's own page and files, served before the built-in ones
     * @param capacity    the server's room, for {@code /health}
     * @param whep        answers WebRTC players' offers (WHEP)
     */
    public HttpRouter(RtmpServerOptions options, ServerMetrics metrics,
                      Function<io.netty.channel.Channel, ServerConnection> connections, PageFiles pageFiles,
                      java.util.function.Supplier<io.rendercast.rtmp.ServerCapacity> capacity, HttpRoute whep) {
        this.options = options;
        this.metrics = metrics;
        this.connections = connections;
        this.pageFiles = pageFiles;
        this.capacity = capacity;
        this.whep = whep;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "not an HTTP request this server can read");
            return;
        }
        String path = new QueryStringDecoder(request.uri()).path();
        if (whep.handles(path)) {
            whep.handle(ctx, request);
            return;
        }
        if (!HttpMethod.GET.equals(request.method())) {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is served here");
            return;
        }
        ViewerRequest viewer = ViewerRequest.parse(request.uri());
        if (path.equals("/metrics")) {
            serveMetrics(ctx, request);
        } else if (path.equals("/health")) {
            // 200 while the server takes new viewers; 503 with the reason while it drains or is full.
            io.rendercast.rtmp.ServerCapacity now = capacity.get();
            respond(ctx, request, now.takesViewers() ? HttpResponseStatus.OK : HttpResponseStatus.SERVICE_UNAVAILABLE,
                    now.state().name().toLowerCase() + ": " + now.reason());
        } else if (viewer == null) {
            serveAsset(ctx, request, path);
        } else if (viewer.kind() == ViewerRequest.Kind.HTTP_FLV) {
            startHttpFlv(ctx, viewer);
        } else {
            startWebSocket(ctx, request, viewer);
        }
    }

    private void serveAsset(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        // The built-in files keep their paths (a page imports /rendercast.js); only / is the application's.
        ViewerAssets.Asset asset = path.equals("/") ? null : ViewerAssets.get(path);
        try {
            asset = asset != null ? asset : pageFiles.find(path);
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "page file {0}: {1}", path, e.getMessage());
            respond(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "cannot serve " + path);
            return;
        }
        if (asset == null) {
            asset = ViewerAssets.get(path);
        }
        if (asset == null || asset.bytes() == null) {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, asset == null ? "no such page: " + path
                    : path + " was not built in (the build brings it from npm)");
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(asset.bytes()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, asset.contentType())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
        send(ctx, request, response);
    }

    private void serveMetrics(ChannelHandlerContext ctx, FullHttpRequest request) {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        try {
            metrics.write(text);
        } catch (java.io.IOException e) {
            respond(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, "metrics failed: " + e.getMessage());
            return;
        }
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.wrappedBuffer(text.toByteArray()));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, ServerMetrics.contentType());
        send(ctx, request, response);
    }

    private void startHttpFlv(ChannelHandlerContext ctx, ViewerRequest viewer) {
        ServerConnection connection = connections.apply(ctx.channel());
        if (connection == null) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        pipeline.remove("aggregator");
        pipeline.addBefore(ctx.name(), "flv", new HttpFlvMuxer());
        pipeline.addLast("close", new ConnectionCloseHandler(connection));
        pipeline.remove(this);
        play(connection, viewer);
    }

    private void startWebSocket(ChannelHandlerContext ctx, FullHttpRequest request, ViewerRequest viewer) {
        if (!request.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
            // Netty's handshaker throws on a plain request, after the connection below would have taken a slot.
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "this path takes a WebSocket; an FLV player "
                    + "plays /" + viewer.app() + "/" + viewer.stream() + ".flv");
            return;
        }
        String location = "ws://" + request.headers().get(HttpHeaderNames.HOST, "localhost") + request.uri();
        WebSocketServerHandshaker handshaker = webSockets(location).newHandshaker(request);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        ServerConnection connection = connections.apply(ctx.channel());
        if (connection == null) {
            return;
        }
        ChannelPipeline pipeline = ctx.pipeline();
        io.netty.channel.ChannelFuture handshake;
        try {
            handshake = handshaker.handshake(ctx.channel(), request);
        } catch (RuntimeException e) {
            connection.channelClosed();
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "not a WebSocket handshake: " + e.getMessage());
            return;
        }
        handshake.addListener((ChannelFutureListener) done -> {
            if (!done.isSuccess()) {
                ctx.close();
                connection.channelClosed();
                return;
            }
            if (viewer.kind() == ViewerRequest.Kind.WEBSOCKET_FLV) {
                pipeline.addBefore(ctx.name(), "flv", new WebSocketFlvMuxer());
                pipeline.addBefore(ctx.name(), "viewer-decoder", new ViewerMessageDecoder(connection));
            } else {
                long silence = options.pingTimeout().toMillis();
                pipeline.addBefore(ctx.name(), "silence", new IdleStateHandler(silence, 0, 0, TimeUnit.MILLISECONDS));
                ByteCounter traffic = (ByteCounter) pipeline.get("traffic");
                PageAcknowledgements acks = new PageAcknowledgements(traffic);
                pipeline.addBefore(ctx.name(), "page-acknowledgements", acks);
                pipeline.addBefore(ctx.name(), "viewer-encoder", new ViewerMessageEncoder());
                pipeline.addBefore(ctx.name(), "session", new RtmpSessionHandler(connection));
                pipeline.addBefore(ctx.name(), "viewer-decoder", new ViewerMessageDecoder(connection, traffic, acks));
            }
            pipeline.addLast("close", new ConnectionCloseHandler(connection));
            pipeline.remove(HttpRouter.this);
            if (!ctx.channel().isActive()) {
                connection.channelClosed(); // closed while the handshake went out: nothing else will say so
                return;
            }
            play(connection, viewer);
        });
    }

    /** The viewer's WebSocket handshakes: no subprotocol, no extensions, frames of MAX_WEBSOCKET_FRAME at most. */
    static WebSocketServerHandshakerFactory webSockets(String location) {
        return new WebSocketServerHandshakerFactory(location, null, false, MAX_WEBSOCKET_FRAME);
    }

    /** What an RTMP player sends to play, said for the viewer: connect, createStream, play. */
    private static void play(ServerConnection connection, ViewerRequest viewer) {
        // The page says which codecs its browser decodes, as an Enhanced RTMP client's connect does.
        List<String> codecs = viewer.query().get("fourCcList") instanceof String fourCcs
                ? List.of(fourCcs.split(",")) : null;
        ViewerPlay.start(connection, viewer.app(), viewer.stream(), viewer.query(), viewer.kind().name().toLowerCase(),
                codecs);
        LOG.log(System.Logger.Level.DEBUG, "{0}: viewer for {1}/{2} over {3}", connection, viewer.app(),
                viewer.stream(), viewer.kind());
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String text) {
        send(ctx, request, HttpResponses.plain(status, text));
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        HttpResponses.send(ctx, request, response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.log(System.Logger.Level.DEBUG, "HTTP request from {0} failed: {1}", ctx.channel().remoteAddress(),
                cause.toString());
        ctx.close();
    }
}
