package io.rendercast.rtmp.server.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The kernel's count of acknowledged bytes and its round trip, read from a real epoll connection on loopback. */
class TcpInfoTest {

    @Test
    void countsTheBytesThePeerAcknowledged() throws Exception {
        assumeTrue(Epoll.isAvailable() || "true".equals(System.getenv("CI")), "epoll is Linux's");
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
        try {
            BlockingQueue<Channel> accepted = new ArrayBlockingQueue<>(1);
            int size = 300_000;
            CountDownLatch received = new CountDownLatch(1);
            AtomicLong read = new AtomicLong();
            Channel listener = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            accepted.add(ch);
                        }
                    }).bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
            Channel client = new Bootstrap().group(group).channel(EpollSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            if (read.addAndGet(((ByteBuf) msg).readableBytes()) >= size) {
                                received.countDown();
                            }
                            ((ByteBuf) msg).release();
                        }
                    }).connect(listener.localAddress()).sync().channel();
            Channel server = accepted.poll(5, TimeUnit.SECONDS);
            TcpInfo info = new TcpInfo(server);
            server.writeAndFlush(Unpooled.wrappedBuffer(new byte[size])).sync();
            assertTrue(received.await(5, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            TcpInfo.Reading reading = info.read();
            while (reading.bytesAcknowledged() < size && System.nanoTime() < deadline) {
                Thread.sleep(10);
                reading = info.read();
            }
            assertEquals(size, reading.bytesAcknowledged());
            assertTrue(reading.roundTripMicros() > 0 && reading.roundTripMicros() < 100_000,
                    reading.roundTripMicros() + " µs on loopback");
            // Linux starts a connection at 10 packets; one this size grew it
            assertTrue(reading.window() >= 10, "window of " + reading.window() + " packets");
            assertEquals(-1, reading.queueMicros(), "a peer beside the server: its queue is not in TCP's round trips");
            client.close().sync();
            listener.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void takesNoPathRateWhileTcpHoldsItsWindowAtTheLeast() {
        assertEquals(1_500_000, TcpInfo.pathRate(187_500, false, 84));
        assertEquals(-1, TcpInfo.pathRate(62_500, false, LinkSample.LEAST_WINDOW), "BBR's ProbeRTT");
        assertEquals(-1, TcpInfo.pathRate(62_500, false, 1), "after a timeout");
        assertEquals(-1, TcpInfo.pathRate(187_500, true, 84), "the sender ran out of data");
        assertEquals(-1, TcpInfo.pathRate(0, false, 84), "the kernel does not say");
    }

    @Test
    void theQueueIsTheSmoothedRoundTripBeyondTheLeast() {
        assertEquals(25_000, TcpInfo.queueMicros(105_000, 80_000));
        assertEquals(0, TcpInfo.queueMicros(79_000, 80_000), "smoothed under the least: none");
        assertEquals(-1, TcpInfo.queueMicros(-1, 80_000), "no round trip");
        assertEquals(-1, TcpInfo.queueMicros(900, 300), "a relay beside the server");
        assertEquals(-1, TcpInfo.queueMicros(105_000, 0), "a kernel that keeps no least");
    }
}
