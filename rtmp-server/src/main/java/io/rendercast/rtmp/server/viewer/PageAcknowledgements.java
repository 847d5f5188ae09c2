package io.rendercast.rtmp.server.viewer;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.rendercast.rtmp.server.transport.ByteCounter;

/**
 * The viewer page's acknowledgements, as an RTMP player's are: the page counts the bytes of the video messages it
 * received and says so as each one comes ({@code {"type":"received","bytes":N}}); this handler, between the viewer's
 * encoder and the WebSocket's, notes where each such message ends on the wire, and turns the page's count into
 * the connection's count of bytes acknowledged ({@link ByteCounter#acknowledgedTo}).
 *
 * <p>Why: a relay or proxy beside the server (HAProxy, the link emulator) acknowledges for the page at the TCP
 * level, and its buffers hide the path behind it. SlowLinkPageTest's page, behind a relay with a router's 64 KB
 * queue at 1.5 Mbit/s, was judged to have carried probes that only filled that queue, and its bit rate stood
 * 3 % above the link for ten seconds, at 0.68 s of delay, before the relay pushed back.
 *
 * <p>On the channel's event loop only. What it keeps is bounded: the ends of the last {@value #KEPT} messages; a
 * page that acknowledges nothing costs no more.
 */
final class PageAcknowledgements extends ChannelOutboundHandlerAdapter {

    /** Half a minute of video at 30 frames a second: more than any path holds. */
    static final int KEPT = 1024;

    private final ByteCounter traffic;
    /** Ring of the messages sent and not yet acknowledged: the page's count at each one's end, and the wire's. */
    private final long[] pageEnds = new long[KEPT];
    private final long[] wireEnds = new long[KEPT];
    private int oldest;
    private int count;
    /** The video message bytes sent, as the page counts them, and the count it last said. */
    private long sent;
    private long acknowledged;

    PageAcknowledgements(ByteCounter traffic) {
        this.traffic = traffic;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof BinaryWebSocketFrame frame)) {
            ctx.write(msg, promise);
            return;
        }
        sent += frame.content().readableBytes();
        long pageEnd = sent;
        ctx.write(msg, promise);
        // The encoders below and the counter at the pipeline's head took the frame in that call, on this thread.
        if (count == KEPT) {
            oldest = (oldest + 1) % KEPT;
            count--;
        }
        int slot = (oldest + count) % KEPT;
        pageEnds[slot] = pageEnd;
        wireEnds[slot] = traffic.bytesWritten();
        count++;
    }

    /**
     * The page received {@code bytes} of video messages: the wire's count up to the end of the last whole message
     * among them becomes what the connection's peer acknowledged.
     *
     * @throws IllegalArgumentException for a count beyond what was sent, or one that went back
     */
    void received(long bytes) {
        if (bytes > sent || bytes < acknowledged) {
            throw new IllegalArgumentException("the page said it received " + bytes + " bytes of video, where "
                    + sent + " were sent and it had said " + acknowledged);
        }
        acknowledged = bytes;
        long wire = -1;
        while (count > 0 && pageEnds[oldest] <= bytes) {
            wire = wireEnds[oldest];
            oldest = (oldest + 1) % KEPT;
            count--;
        }
        if (wire >= 0) {
            traffic.acknowledgedTo(wire);
        }
    }
}
