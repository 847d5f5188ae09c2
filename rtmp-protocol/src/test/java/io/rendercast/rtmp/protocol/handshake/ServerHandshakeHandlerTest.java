package io.rendercast.rtmp.protocol.handshake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LeakCheckExtension.class)
class ServerHandshakeHandlerTest {

    private final AtomicBoolean completed = new AtomicBoolean();

    private EmbeddedChannel channel(Duration timeout) {
        return new EmbeddedChannel(new ServerHandshakeHandler(timeout, (ctx, scheme) -> completed.set(true)),
                new ChannelInboundHandlerAdapter());
    }

    private static byte[] c1() {
        byte[] c1 = new byte[Handshake.PACKET_SIZE];
        new Random(7).nextBytes(c1);
        return c1;
    }

    @Test
    void answersS0S1S2WithS2EchoingC1ThenPassesTheRestOn() {
        EmbeddedChannel channel = channel(Duration.ofSeconds(5));
        byte[] c1 = c1();
        channel.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(c1));
        ByteBuf reply = channel.readOutbound();
        assertEquals(1 + 2 * Handshake.PACKET_SIZE, reply.readableBytes());
        assertEquals(3, reply.getByte(0));
        assertEquals(0, reply.getInt(1 + 4), "S1's version field is zero: simple handshake");
        byte[] s2 = ByteBufUtil.getBytes(reply, 1 + Handshake.PACKET_SIZE, Handshake.PACKET_SIZE);
        reply.release();
        assertEquals(ByteBufUtil.hexDump(c1), ByteBufUtil.hexDump(s2));
        assertFalse(completed.get());

        channel.writeInbound(Unpooled.buffer().writeBytes(new byte[Handshake.PACKET_SIZE]).writeBytes(new byte[] {1, 2, 3}));
        assertTrue(completed.get());
        assertNull(channel.pipeline().get(ServerHandshakeHandler.class), "handler left the pipeline");
        ByteBuf rest = channel.readInbound();
        assertEquals(3, rest.readableBytes(), "bytes after C2 go to the next handler");
        rest.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void waitsForC1InPieces() {
        EmbeddedChannel channel = channel(Duration.ofSeconds(5));
        channel.writeInbound(Unpooled.buffer().writeByte(3).writeBytes(new byte[100]));
        assertNull(channel.readOutbound());
        channel.writeInbound(Unpooled.buffer().writeBytes(new byte[Handshake.PACKET_SIZE - 100]));
        ByteBuf reply = channel.readOutbound();
        assertEquals(1 + 2 * Handshake.PACKET_SIZE, reply.readableBytes());
        reply.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void rejectsOtherProtocolVersions() {
        EmbeddedChannel channel = channel(Duration.ofSeconds(5));
        DecoderException e = assertThrows(DecoderException.class,
                () -> channel.writeInbound(Unpooled.buffer().writeByte(6).writeBytes(c1())));
        assertTrue(e.getMessage().contains("version 6"), e.getMessage());
        channel.finishAndReleaseAll();
    }

    @Test
    void failsAClientThatDoesNotFinishInTime() throws InterruptedException {
        EmbeddedChannel channel = channel(Duration.ofMillis(50));
        TimeUnit.MILLISECONDS.sleep(80);
        channel.runPendingTasks();
        HandshakeException e = assertThrows(HandshakeException.class, channel::checkException);
        assertTrue(e.getMessage().contains("not finished within 50 ms"), e.getMessage());
        channel.finishAndReleaseAll();
    }
}
