package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.rendercast.rtmp.server.common.StatusMessages;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** FLV over one long HTTP response (HTTP-FLV), as ffplay, mpegts.js and flv.js read it. */
final class HttpFlvMuxer extends FlvMuxer {

    @Override
    void start(ChannelHandlerContext ctx, List<Object> out) {
        HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv")
                .set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE)
                .set(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        out.add(response);
    }

    @Override
    void refused(ChannelHandlerContext ctx, Refusal refusal, List<Object> out) {
        DefaultFullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status(refusal),
                Unpooled.copiedBuffer(refusal.reason() + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (refusal.retry()) {
            response.headers().setInt(HttpHeaderNames.RETRY_AFTER, RETRY_AFTER_SECONDS);
        }
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    void ended(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(io.netty.handler.codec.http.LastHttpContent.EMPTY_LAST_CONTENT)
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** A full or draining server's hint to try again: long enough for a balancer to see it out of the way. */
    static final int RETRY_AFTER_SECONDS = 5;

    /**
     * The HTTP status for an RTMP refusal: no such stream is 404; a server that is full or drains, or a stream that
     * stopped before its first frame, 503 (it may play if tried again, and a balancer takes 503 for a node that
     * should get no more); any other refusal 403.
     */
    static HttpResponseStatus status(Refusal refusal) {
        if (refusal.retry()) {
            return HttpResponseStatus.SERVICE_UNAVAILABLE;
        }
        return switch (refusal.code()) {
            case StatusMessages.STREAM_NOT_FOUND -> HttpResponseStatus.NOT_FOUND;
            case "NetStream.Play.Stop" -> HttpResponseStatus.SERVICE_UNAVAILABLE;
            default -> HttpResponseStatus.FORBIDDEN;
        };
    }
}
