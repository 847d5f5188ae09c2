package io.rendercast.rtmp.protocol.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.Consumer;

/**
 * The client's side of the simple handshake, for a relay that publishes to another server: sends C0 and C1 when
 * the connection opens, waits for S0, S1 and S2, answers C2 (S1 echoed), then hands the pipeline on and leaves
 * it. Bytes that came after S2 are passed on to what it installed.
 */
public final class ClientHandshakeHandler extends ByteToMessageDecoder {

    private final Consumer<ChannelHandlerContext> onDone;
    private final long startNanos = System.nanoTime();

    /** @param onDone installs the handlers that follow the handshake, after this one */
    public ClientHandshakeHandler(Consumer<ChannelHandlerContext> onDone) {
        this.onDone = onDone;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        ByteBuf c0c1 = ctx.alloc().buffer(1 + Handshake.PACKET_SIZE);
        c0c1.writeByte(Handshake.VERSION);
        Handshake.writeRandomPacket(c0c1, 0);
        ctx.writeAndFlush(c0c1);
        super.channelActive(ctx);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (in.readableBytes() < 1 + 2 * Handshake.PACKET_SIZE) {
            return;
        }
        int version = in.readUnsignedByte();
        if (version != Handshake.VERSION) {
            throw new HandshakeException("the server answered RTMP version " + version + ", not "
                    + Handshake.VERSION);
        }
        ByteBuf c2 = ctx.alloc().buffer(Handshake.PACKET_SIZE);
        c2.writeBytes(in, Handshake.PACKET_SIZE); // S1, echoed
        c2.setInt(4, (int) ((System.nanoTime() - startNanos) / 1_000_000));
        in.skipBytes(Handshake.PACKET_SIZE); // S2: the server's echo of C1, which no server checks strictly
        ctx.writeAndFlush(c2);
        onDone.accept(ctx);
        ctx.pipeline().remove(this); // what is left in the buffer goes on to the handlers installed after us
    }
}
