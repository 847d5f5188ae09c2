package io.rendercast.rtmp.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.EventExecutor;
import io.rendercast.rtmp.protocol.chunk.ChunkEncoder;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A viewer on a Netty channel whose pipeline turns RTMP messages into its wire format: the chunk encoder for RTMP
 * and RTMPS, the FLV muxers for HTTP-FLV and the WebSockets.
 */
public final class ChannelTransport implements ViewerTransport {

    /** How long a viewer's word on the frames it has yet to show holds: a page draws a frame every 16 to 40 ms. */
    private static final long VIEWER_WORD_NANOS = 500_000_000L;

    private final Channel channel;
    private final int chunkSize;
    private final int windowAckSize;
    private final ByteCounter traffic;
    /** A peer under TLS acknowledges the bytes it decrypted, which the counter does not see. */
    private final boolean encrypted;
    private final TcpInfo tcp;
    private volatile ChannelHandlerContext belowChunkEncoder;

    /**
     * @param chunkSize the chunk size announced to an RTMP peer (not the one its encoder has reached: a Set Chunk
     *                  Size still queued would make the two disagree); unused where the pipeline has no chunk
     *                  encoder
     * @param windowAckSize the acknowledgement window asked of an RTMP peer, or 0 where none was asked
     */
    public ChannelTransport(Channel channel, int chunkSize, int windowAckSize, ByteCounter traffic) {
        this.channel = channel;
        this.chunkSize = chunkSize;
        this.windowAckSize = windowAckSize;
        this.traffic = traffic;
        this.encrypted = channel.pipeline().get(SslHandler.class) != null;
        this.tcp = new TcpInfo(channel);
    }

    /** The chunk encoder's place, looked up once it is there: a handshake installs it late. */
    private ChannelHandlerContext belowChunkEncoder() {
        ChannelHandlerContext below = belowChunkEncoder;
        if (below == null) {
            below = channel.pipeline().context(ChunkEncoder.class);
            belowChunkEncoder = below;
        }
        return below;
    }

    @Override
    public ByteBufAllocator alloc() {
        return channel.alloc();
    }

    @Override
    public void send(RawMessage message) {
        channel.writeAndFlush(message, channel.voidPromise());
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public EventExecutor executor() {
        return channel.eventLoop();
    }

    @Override
    public int chunkSize() {
        return belowChunkEncoder() == null ? 0 : chunkSize;
    }

    /**
     * Enters the pipeline below the chunk encoder, past the handlers above it that only pass bytes on: a cost a
     * fan-out would otherwise pay per viewer per frame. In the order asked, from any thread.
     */
    @Override
    public void writeChunked(ByteBuf chunked, boolean flush) {
        ChannelHandlerContext below = belowChunkEncoder();
        if (flush) {
            below.writeAndFlush(chunked, channel.voidPromise());
        } else {
            below.write(chunked, channel.voidPromise());
        }
    }

    @Override
    public int framesWaitingInViewer() {
        return traffic.framesWaitingToShow(VIEWER_WORD_NANOS);
    }

    @Override
    public LinkSample linkSample() {
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        long now = System.nanoTime();
        long written = traffic.bytesWritten();
        // Under TLS the player acknowledges the bytes it decrypted, which the counter (next to the socket) never saw.
        long player = encrypted ? -1 : traffic.bytesAcknowledged();
        TcpInfo.Reading tcp = this.tcp.read();
        long acknowledged = acknowledged(player, traffic.acknowledgesEachMessage(), tcp, windowAckSize);
        long queue = queueTimedByTcp(acknowledged, tcp);
        return new LinkSample(now, written, out == null ? 0 : out.totalPendingWriteBytes(), acknowledged,
                acknowledged >= 0 && queue < 0 ? 0 : Math.max(0, tcp.roundTripMicros()), tcp.pathRate(),
                tcp.window(), queue);
    }

    /**
     * The queue TCP's round trips show, where its count of the bytes acknowledged is the one taken: where the
     * player's own count is, something between the two holds bytes, and TCP's round trips do not reach the player.
     * -1 where not to be had ({@link TcpInfo#queueMicros}).
     */
    static long queueTimedByTcp(long acknowledged, TcpInfo.Reading tcp) {
        return acknowledged >= 0 && acknowledged == tcp.bytesAcknowledged() ? tcp.queueMicros() : -1;
    }

    /**
     * What the player received, from its own count ({@code byPlayer}, of each message it received where
     * {@code eachMessage}) and its TCP's. Where the TCP's peer is beside the server it may be a relay or proxy whose
     * buffers hide the path behind it: a player that acknowledges each message (the viewer page) is taken at its
     * word. One that acknowledges a window at a time (an RTMP player) is not, yet: its round trips, timed a window at
     * a time once a frame, read queues in a frame's steps, and on loopback, where it is most often, TCP's count reads
     * none; not tried behind a relay. Elsewhere, {@link #acknowledged(long, long, int)}.
     */
    static long acknowledged(long byPlayer, boolean eachMessage, TcpInfo.Reading tcp, int window) {
        if (byPlayer >= 0 && eachMessage && tcp.near()) {
            return byPlayer;
        }
        return acknowledged(byPlayer, tcp.bytesAcknowledged(), window);
    }

    /**
     * What the player received: its own acknowledgements come a window at a time, its TCP's (the kernel counts the
     * very bytes the counter does) packet by packet, so the TCP's, the finer, but never more than two windows ahead
     * of the player's. Further ahead, something between the two holds bytes (a relay or proxy that TCP sees instead
     * of the player, or a player that reads slower than its TCP receives), and the player's count is the truth.
     * Both counts only grow, and so does this: a count that went back would look to the estimator like a path gone
     * silent.
     */
    static long acknowledged(long byPlayer, long byTcp, int window) {
        if (byTcp < 0) {
            return byPlayer;
        }
        if (byPlayer < 0) {
            return byTcp;
        }
        return Math.min(byTcp, byPlayer + 2L * window);
    }

    @Override
    public InetSocketAddress peerAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    @Override
    public void closeAfterFlush(Duration timeout) {
        channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
        channel.eventLoop().schedule(() -> {
            channel.close();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        channel.close();
    }

    /** The channel, for the tests that look at what Netty holds for it. */
    public Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return String.valueOf(channel.remoteAddress());
    }
}
