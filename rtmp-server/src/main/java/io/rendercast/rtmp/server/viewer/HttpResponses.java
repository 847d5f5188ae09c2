package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/** The HTTP port's responses, whoever answers: a body in UTF-8, its length set, the connection kept as asked. */
public final class HttpResponses {

    private HttpResponses() {
    }

    /** A response with {@code text} as its body, in UTF-8; no content type set. */
    public static FullHttpResponse of(HttpResponseStatus status, String text) {
        return new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
    }

    /** A plain-text response: {@code text} and a newline, as a person at a terminal reads it. */
    public static FullHttpResponse plain(HttpResponseStatus status, String text) {
        FullHttpResponse response = of(status, text + "\n");
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        return response;
    }

    /** Sends {@code response} with its length, closing the connection after it unless the request keeps it. */
    public static void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response) {
        HttpUtil.setContentLength(response, response.content().readableBytes());
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        HttpUtil.setKeepAlive(response, keepAlive);
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }
}
