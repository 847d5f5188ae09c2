package io.rendercast.rtmp.server.broadcast;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.server.transport.LinkSample;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BroadcastPlayerTest {

    /** A viewer whose path holds nothing and whose page says {@link #waiting} frames wait in its decoder. */
    private static final class Page implements ViewerTransport {
        int waiting;
        Runnable keyFrameWanted;

        @Override
        public void onKeyFrameWanted(Runnable request) {
            keyFrameWanted = request;
        }

        @Override
        public int framesWaitingInViewer() {
            return waiting;
        }

        @Override
        public LinkSample linkSample() {
            return new LinkSample(System.nanoTime(), 0, 0, 0, 1000);
        }

        @Override
        public ByteBufAllocator alloc() {
            return ByteBufAllocator.DEFAULT;
        }

        @Override
        public void send(RawMessage message) {
            message.release();
        }

        @Override
        public boolean isWritable() {
            return true;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public EventExecutor executor() {
            return ImmediateEventExecutor.INSTANCE;
        }

        @Override
        public int chunkSize() {
            return 0;
        }

        @Override
        public void writeChunked(ByteBuf chunked, boolean flush) {
            chunked.release();
        }

        @Override
        public InetSocketAddress peerAddress() {
            return new InetSocketAddress(0);
        }

        @Override
        public void closeAfterFlush(Duration timeout) {
        }

        @Override
        public void close() {
        }
    }

    private static final BroadcastPlayer.Owner NOBODY = new BroadcastPlayer.Owner() {
        @Override
        public void countSent() {
        }

        @Override
        public void countDropped() {
        }

        @Override
        public void closeBehind(BroadcastPlayer player, String why) {
        }

        @Override
        public void broadcastEnded(BroadcastPlayer player) {
        }
    };

    @Test
    void aPageWhoseDecoderHoldsOverASecondOfFramesIsLateUntilItsWordIsGone() {
        Page page = new Page();
        BroadcastPlayer player = new BroadcastPlayer(NOBODY, page, 1);
        long now = System.nanoTime();
        page.waiting = 2; // a decoder that keeps a frame or two until the next comes
        assertFalse(player.late(now, 30));
        page.waiting = 31;
        assertTrue(player.late(now, 30), "31 frames at 30 fps: over a second behind");
        assertFalse(player.late(now, 60), "the same 31 frames at 60 fps: half a second");
        page.waiting = 0; // the page stopped drawing and its word went stale: the key frame it waits for is sent
        assertFalse(player.late(now, 30));
    }

    @Test
    void aViewersAskForAKeyFrameIsKeptForItsFanOut() {
        Page page = new Page();
        BroadcastPlayer player = new BroadcastPlayer(NOBODY, page, 1);
        assertFalse(player.keyFrameAsked);
        page.keyFrameWanted.run(); // a PLI, on the WebRTC port's thread
        assertTrue(player.keyFrameAsked, "the fan-out takes it at the next frame");
    }
}
