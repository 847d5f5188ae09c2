package io.rendercast.rtmp.server.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rendercast.rtmp.server.transport.ByteCounter;
import org.junit.jupiter.api.Test;

class DrawnFramesTest {

    private final ByteCounter traffic = new ByteCounter();
    private final EmbeddedChannel channel = new EmbeddedChannel(traffic);
    private final DrawnFrames frames = new DrawnFrames(traffic);

    /** Writes {@code bytes} through the counter, as the page's messages pass it. */
    private void write(int bytes) {
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[bytes]));
        channel.releaseOutbound();
    }

    private void frame(int timestamp, int bytes) {
        frames.sending(timestamp);
        write(bytes);
    }

    @Test
    void aDrawnFrameAcknowledgesEverythingBeforeTheFrameAfterIt() {
        write(100); // the answers to connect and createStream, before any frame
        frame(0, 1000);
        write(50); // a status message between two frames
        frame(33, 800);
        frame(67, 900);
        assertEquals(-1, traffic.bytesShown());

        frames.drawn(0);
        assertEquals(1150, traffic.bytesShown(), "through the status message, up to frame 33");
        assertEquals(-1, traffic.bytesAcknowledged(), "what reached the page is TCP's to say, or RTMP's");

        frames.drawn(67); // frame 33's word was lost, or it was never drawn: a later frame covers it
        assertEquals(2850, traffic.bytesShown(), "the newest frame: all that was written");
    }

    @Test
    void aTimestampNotSentOrAlreadyToldChangesNothing() {
        frame(0, 1000);
        frame(33, 1000);
        frames.drawn(33);
        assertEquals(2000, traffic.bytesShown());
        frames.drawn(0);
        frames.drawn(12345);
        assertEquals(2000, traffic.bytesShown());
    }

    @Test
    void aPageFartherBehindThanItsMemoryIsCountedFromTheFramesKept() {
        for (int i = 0; i <= DrawnFrames.CAPACITY; i++) {
            frame(i, 10);
        }
        frames.drawn(0); // forgotten: one frame more than it keeps was sent
        assertEquals(-1, traffic.bytesShown());
        frames.drawn(1);
        assertEquals(20, traffic.bytesShown());
    }
}
