package io.rendercast.rtmp.protocol.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Runs the server side of the handshake, then hands the pipeline on and removes itself.
 *
 * <p>Waits for C0+C1, answers S0+S1+S2 at once (digest or simple, as the client's C1 asks), waits for C2, then
 * calls {@code onComplete} (which installs the
 * chunk codec) and passes on any bytes that came after C2. A client that has not finished within the timeout
 * is closed.
 */
public final class ServerHandshakeHandler extends ByteToMessageDecoder {

    private enum State { AWAIT_C0_C1, AWAIT_C2, DONE }

    private final Duration timeout;
    private final BiConsumer<ChannelHandlerContext, Integer> onComplete;
    private final long startNanos = System.nanoTime();
    private State state = State.AWAIT_C0_C1;
    private int scheme = -1;
    private ScheduledFuture<?> timeoutTask;

    /** @param onComplete given the context and the digest scheme used (-1: the simple handshake) */
    public ServerHandshakeHandler(Duration timeout, BiConsumer<ChannelHandlerContext, Integer> onComplete) {
        this.timeout = timeout;
        this.onComplete = onComplete;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        timeoutTask = ctx.executor().schedule(() -> {
            if (state != State.DONE) {
                ctx.fireExceptionCaught(new HandshakeException(
                        "handshake not finished within " + timeout.toMillis() + " ms"));
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        if (timeoutTask != null) {
            timeoutTask.cancel(false);
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        switch (state) {
            case AWAIT_C0_C1 -> {
                if (in.readableBytes() < 1 + Handshake.PACKET_SIZE) {
                    return;
                }
                int version = in.readUnsignedByte();
                if (version != Handshake.VERSION) {
                    throw new HandshakeException("client asked for RTMP version " + version + "; this server speaks "
                            + "plain RTMP, version " + Handshake.VERSION + " (RTMPE and RTMPT are not served)");
                }
                ByteBuf reply = ctx.alloc().buffer(1 + 2 * Handshake.PACKET_SIZE);
                scheme = Handshake.writeServerPackets(reply, in, uptimeMillis());
                in.skipBytes(Handshake.PACKET_SIZE);
                ctx.writeAndFlush(reply);
                state = State.AWAIT_C2;
            }
            case AWAIT_C2 -> {
                if (in.readableBytes() < Handshake.PACKET_SIZE) {
                    return;
                }
                // C2 echoes S1 (simple) or signs it (digest); nothing in it changes what we do, so it is not checked.
                in.skipBytes(Handshake.PACKET_SIZE);
                state = State.DONE;
                onComplete.accept(ctx, scheme);
                ctx.pipeline().remove(this);
            }
            case DONE -> throw new IllegalStateException("handshake handler left in the pipeline after the handshake");
        }
    }

    private int uptimeMillis() {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
