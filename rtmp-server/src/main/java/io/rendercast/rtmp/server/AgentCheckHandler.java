package io.rendercast.rtmp.server;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.rendercast.rtmp.ServerCapacity;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * HAProxy's agent check: the agent connects, reads one line and the server closes; nothing it sends is read.
 * The line is the server's room as {@link ServerHealth#agentReply} words it.
 */
@ChannelHandler.Sharable
final class AgentCheckHandler extends ChannelInboundHandlerAdapter {

    private final Supplier<ServerCapacity> capacity;

    AgentCheckHandler(Supplier<ServerCapacity> capacity) {
        this.capacity = capacity;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.writeAndFlush(Unpooled.copiedBuffer(ServerHealth.agentReply(capacity.get()) + "\n",
                StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        io.netty.util.ReferenceCountUtil.release(msg);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
