package io.rendercast.rtmp.server.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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

    @Test
    void thePagesWordOnFramesWaitingInItsDecoderHoldsUntilItIsStale() throws Exception {
        frame(0, 100);
        frame(33, 100);
        assertEquals(0, traffic.framesWaitingToShow(1_000_000_000L), "nothing said yet");
        frames.drawn(0, 5);
        assertEquals(5, traffic.framesWaitingToShow(1_000_000_000L));
        frames.drawn(33, -1); // a page that does not say: the last word stands
        assertEquals(5, traffic.framesWaitingToShow(1_000_000_000L));
        Thread.sleep(20);
        assertEquals(0, traffic.framesWaitingToShow(10_000_000L), "a word older than it may be is forgotten");
        frames.drawn(33, 0);
        assertEquals(0, traffic.framesWaitingToShow(1_000_000_000L));
    }

    @Test
    void theDecoderReadsTheWaitingFramesAndRefusesAWordThatIsNoNumber() {
        int[] told = new int[2];
        ViewerMessageDecoder decoder = new ViewerMessageDecoder(command -> { }, timestamp -> { },
                (timestamp, waiting) -> { told[0] = timestamp; told[1] = waiting; });
        EmbeddedChannel page = new EmbeddedChannel(decoder);
        page.writeInbound(new TextWebSocketFrame(
                "{\"type\":\"drawn\",\"timestamp\":67,\"waiting\":3}"));
        assertEquals(67, told[0]);
        assertEquals(3, told[1]);
        page.writeInbound(new TextWebSocketFrame(
                "{\"type\":\"drawn\",\"timestamp\":100}"));
        assertEquals(100, told[0]);
        assertEquals(-1, told[1], "not said");
        assertThrows(IllegalArgumentException.class, () -> page.writeInbound(
                new TextWebSocketFrame(
                        "{\"type\":\"drawn\",\"timestamp\":133,\"waiting\":\"many\"}")));
    }
}
