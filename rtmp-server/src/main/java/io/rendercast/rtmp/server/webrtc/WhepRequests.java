package io.rendercast.rtmp.server.webrtc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.rendercast.rtmp.server.connection.Connections;
import io.rendercast.rtmp.server.connection.ServerConnection;
import io.rendercast.rtmp.server.connection.ViewerPlay;
import io.rendercast.rtmp.server.viewer.HttpResponses;
import io.rendercast.rtmp.server.viewer.HttpRoute;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * WHEP (RFC 9725) on the HTTP port: {@code POST /whep/APP/STREAM?query} with an SDP offer makes a session, a
 * connection the application sees as it sees any other (the query is connect's first argument, so a token check
 * works unchanged), and is answered {@code 201 Created} with the SDP answer and the session's {@code Location}
 * once the stream plays, or with the connect handler's or play's refusal ({@code 403}, {@code 404}) and its
 * reason. {@code DELETE} on the {@code Location} ends the session. No trickle ICE: the answer holds the one
 * candidate there is, so {@code PATCH} is refused, as the RFC lets a server do.
 */
public final class WhepRequests implements HttpRoute {

    static final String PREFIX = "/whep/";
    static final String SESSIONS = PREFIX + "session/";
    /** How long the application's connect and play handlers may take before the offer is answered 504. */
    static final long ANSWER_TIMEOUT_SECONDS = 10;

    private final Supplier<WebRtcPort> port;
    private final Connections connections;

    /** @param port the server's WebRTC port, or null while it is not started */
    public WhepRequests(Supplier<WebRtcPort> port, Connections connections) {
        this.port = port;
        this.connections = connections;
    }

    @Override
    public boolean handles(String path) {
        return path.startsWith(PREFIX);
    }

    @Override
    public void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = new QueryStringDecoder(request.uri()).path();
        WebRtcPort webRtc = port.get();
        if (webRtc == null) {
            respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "WebRTC is not started on this server "
                    + "(its UDP port: --webrtc-port)");
        } else if (path.startsWith(SESSIONS)) {
            session(ctx, request, webRtc, path.substring(SESSIONS.length()));
        } else if (HttpMethod.POST.equals(request.method())) {
            offer(ctx, request, webRtc);
        } else if (HttpMethod.OPTIONS.equals(request.method())) {
            FullHttpResponse response = response(HttpResponseStatus.NO_CONTENT, "");
            response.headers().set("Accept-Post", "application/sdp")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "POST, DELETE, OPTIONS")
                    .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_HEADERS, "Content-Type");
            send(ctx, request, response);
        } else {
            respond(ctx, request, HttpResponseStatus.METHOD_NOT_ALLOWED, "a WHEP endpoint takes POST of an SDP offer");
        }
    }

    private void session(ChannelHandlerContext ctx, FullHttpRequest request, WebRtcPort webRtc, String id) {
        WhepSession session = webRtc.session(id);
        if (HttpMethod.OPTIONS.equals(request.method())) {
            // A player on another origin asks before its DELETE.
            FullHttpResponse response = response(HttpResponseStatus.NO_CONTENT, "");
            response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "DELETE, OPTIONS");
            send(ctx, request, response);
        } else if (session == null) {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, "no WHEP session " + cut(id));
        } else if (HttpMethod.DELETE.equals(request.method())) {
            session.close();
            respond(ctx, request, HttpResponseStatus.OK, "session ended");
        } else {
            // PATCH is trickle ICE or an ICE restart: an ICE-lite server with one candidate has no use for either.
            FullHttpResponse response = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "a WHEP session takes DELETE only: no trickle ICE here");
            response.headers().set(HttpHeaderNames.ALLOW, "DELETE");
            send(ctx, request, response);
        }
    }

    private void offer(ChannelHandlerContext ctx, FullHttpRequest request, WebRtcPort webRtc) {
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String[] appAndStream = uri.path().substring(PREFIX.length()).split("/", 2);
        if (appAndStream.length != 2 || appAndStream[0].isEmpty() || appAndStream[1].isEmpty()) {
            respond(ctx, request, HttpResponseStatus.NOT_FOUND, "a WHEP endpoint is /whep/APP/STREAM");
            return;
        }
        String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE, "");
        if (!type.toLowerCase(java.util.Locale.ROOT).startsWith("application/sdp")) {
            respond(ctx, request, HttpResponseStatus.UNSUPPORTED_MEDIA_TYPE, "a WHEP offer is application/sdp, got '"
                    + cut(type) + "'");
            return;
        }
        SdpOffer offer;
        try {
            offer = SdpOffer.parse(request.content().toString(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            respond(ctx, request, HttpResponseStatus.BAD_REQUEST, "the SDP offer cannot be answered: "
                    + e.getMessage());
            return;
        }
        InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
        InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
        WhepSession session = new WhepSession(webRtc, offer, ctx.channel().eventLoop(), remote);
        ServerConnection connection = connections.open(session, session.traffic());
        if (connection == null) {
            respond(ctx, request, HttpResponseStatus.SERVICE_UNAVAILABLE, "the server takes no more viewers now");
            return;
        }
        session.onClose(connection::channelClosed);
        session.commands(command -> connection.receive(command, ViewerPlay.STREAM_ID));
        String host = webRtc.candidateHost(local.getAddress());
        session.start();
        Map<String, Object> query = new LinkedHashMap<>();
        uri.parameters().forEach((name, values) -> query.put(name, values.getLast()));
        // The codecs the offer takes beyond the classic ones, as an Enhanced RTMP client lists them.
        ViewerPlay.start(connection, appAndStream[0], appAndStream[1], query, "whep",
                offer.codec("av1") != null ? java.util.List.of("av01") : null);
        // Answered once the stream plays and its first video message says its codec, which the answer must name.
        session.playing().orTimeout(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS).whenComplete((codec, failure) ->
                ctx.executor().execute(() -> {
                    if (failure == null) {
                        FullHttpResponse response = response(HttpResponseStatus.CREATED, session.answer(codec, host));
                        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/sdp")
                                .set(HttpHeaderNames.LOCATION, SESSIONS + session.id());
                        send(ctx, request, response);
                        return;
                    }
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    session.close();
                    if (cause instanceof WhepSession.Refused refused) {
                        respond(ctx, request, HttpResponseStatus.valueOf(refused.status), refused.getMessage());
                    } else if (cause instanceof TimeoutException) {
                        respond(ctx, request, HttpResponseStatus.GATEWAY_TIMEOUT, "the stream did not start within "
                                + ANSWER_TIMEOUT_SECONDS + " s");
                    } else {
                        respond(ctx, request, HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(cause));
                    }
                }));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String text) {
        return HttpResponses.of(status, text);
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String text) {
        send(ctx, request, HttpResponses.plain(status, text));
    }

    private static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        // A page on another origin (a WHEP player) may read the answer and its Location.
        response.headers().set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*")
                .set(HttpHeaderNames.ACCESS_CONTROL_EXPOSE_HEADERS, "Location");
        HttpResponses.send(ctx, request, response);
    }

    private static String cut(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
