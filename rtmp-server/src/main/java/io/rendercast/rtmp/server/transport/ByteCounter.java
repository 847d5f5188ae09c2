package io.rendercast.rtmp.server.transport;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts the bytes a connection reads and writes as they pass, first in its pipeline: the figures of its
 * statistics and of its acknowledgement window. Nothing more: Netty's traffic-shaping handler, which counted
 * them before, takes a lock and does its accounting on every write, which a broadcast to thousands of players
 * pays thousands of times a frame.
 */
public final class ByteCounter extends ChannelDuplexHandler {

    // Written on the channel's event loop only; read from any thread.
    private volatile long read;
    private volatile long written;
    private volatile long acknowledged = -1;
    private volatile boolean toTheMessage;
    private long lastSequence;
    private volatile int framesWaiting;
    private volatile long framesWaitingSaidNanos;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf bytes) {
            read += bytes.readableBytes();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof ByteBuf bytes) {
            written += bytes.readableBytes();
        }
        ctx.write(msg, promise);
    }

    /**
     * Counts {@code bytes} read by a transport with no pipeline to pass them through (a WebRTC session's datagrams);
     * from one thread at a time.
     */
    public void countRead(long bytes) {
        read += bytes;
    }

    /** Counts {@code bytes} written by a transport with no pipeline; from one thread at a time. */
    public void countWritten(long bytes) {
        written += bytes;
    }

    /** Bytes read from the socket so far. */
    public long bytesRead() {
        return read;
    }

    /** Bytes handed to the socket so far (queued or sent). */
    public long bytesWritten() {
        return written;
    }

    /**
     * The peer acknowledged bytes up to RTMP's 32-bit {@code sequence}, which wraps at 4 GiB; event loop only.
     * Counted from the first acknowledgement on, as bytes since the connection began.
     */
    public void acknowledged(long sequence) {
        long current = acknowledged;
        acknowledged = current < 0 ? sequence : current + ((sequence - lastSequence) & 0xFFFF_FFFFL);
        lastSequence = sequence;
    }

    /**
     * The peer received the bytes written up to {@code bytes}, the end of a message it received whole (the viewer
     * page's word, finer than an RTMP player's window); event loop only.
     */
    public void acknowledgedTo(long bytes) {
        toTheMessage = true;
        acknowledged = Math.max(acknowledged, bytes);
    }

    /** Whether the peer acknowledges each message it receives ({@link #acknowledgedTo}), not a window at a time. */
    public boolean acknowledgesEachMessage() {
        return toTheMessage;
    }

    /**
     * The peer says {@code frames} it received wait to be shown (in the viewer page's decoder); event loop only.
     */
    public void waitingToShow(int frames) {
        framesWaiting = Math.max(0, frames);
        framesWaitingSaidNanos = System.nanoTime();
    }

    /**
     * Frames the peer last said wait to be shown, if it said so within {@code freshNanos}; else 0. A word that is
     * not renewed is forgotten, so that a peer never left wanting frames waits on a word it cannot take back.
     */
    public int framesWaitingToShow(long freshNanos) {
        int frames = framesWaiting;
        return frames > 0 && System.nanoTime() - framesWaitingSaidNanos <= freshNanos ? frames : 0;
    }

    /** Bytes the peer acknowledged so far, or -1 before its first acknowledgement. */
    public long bytesAcknowledged() {
        return acknowledged;
    }
}
