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
    void refused(ChannelHandlerContext ctx, String code, String reason, List<Object> out) {
        ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.POLICY_VIOLATION, ViewerMessageEncoder.fit(reason)))
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
