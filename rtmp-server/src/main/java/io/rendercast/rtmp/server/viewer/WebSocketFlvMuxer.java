package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import java.util.List;

/** FLV over a WebSocket (WebSocket-FLV), each piece of the stream one binary message, as mpegts.js reads it. */
final class WebSocketFlvMuxer extends FlvMuxer {

    @Override
    void refused(ChannelHandlerContext ctx, Refusal refusal, List<Object> out) {
        // 1013, try again later: the server is full or drains. 1008 for a refusal of the request itself.
        WebSocketCloseStatus status = refusal.retry() ? WebSocketCloseStatus.TRY_AGAIN_LATER
                : WebSocketCloseStatus.POLICY_VIOLATION;
        ctx.writeAndFlush(new CloseWebSocketFrame(status, ViewerMessageEncoder.fit(refusal.reason())))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    void ended(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE, "the stream ended"))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    Object wrap(ByteBuf bytes) {
        return new BinaryWebSocketFrame(bytes);
    }
}
