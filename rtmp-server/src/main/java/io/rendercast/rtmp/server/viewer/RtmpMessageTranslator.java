package io.rendercast.rtmp.server.viewer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * Carries a connection's outgoing RTMP messages on another transport: each message becomes none, one or more
 * of that transport's messages. Many RTMP messages (chunk size, windows) have no counterpart and vanish, which
 * Netty's own {@code MessageToMessageEncoder} does not allow. The message is released here; what is written
 * holds its own references.
 */
abstract class RtmpMessageTranslator extends ChannelOutboundHandlerAdapter {

    private final List<Object> out = new ArrayList<>(4);

    @Override
    public final void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof RawMessage message)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            translate(ctx, message, out);
        } catch (RuntimeException e) {
            out.forEach(ReferenceCountUtil::release);
            out.clear();
            promise.tryFailure(e);
            return;
        } finally {
            message.release();
        }
        if (out.isEmpty()) {
            promise.trySuccess();
            return;
        }
        for (int i = 0; i < out.size(); i++) {
            ctx.write(out.get(i), i == out.size() - 1 ? promise : ctx.voidPromise());
        }
        out.clear();
    }

    /** Adds to {@code out} what {@code msg} becomes on this transport; {@code msg} is released by the caller. */
    abstract void translate(ChannelHandlerContext ctx, RawMessage msg, List<Object> out);
}
