package io.rendercast.rtmp.server.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.rendercast.rtmp.server.transport.ByteCounter;
import org.junit.jupiter.api.Test;

/** The page's word that it drew a frame, and how many more wait in its decoder. */
class DrawnFramesTest {

    private final ByteCounter traffic = new ByteCounter();

    @Test
    void thePagesWordOnFramesWaitingInItsDecoderHoldsUntilItIsStale() throws Exception {
        assertEquals(0, traffic.framesWaitingToShow(1_000_000_000L), "nothing said yet");
        traffic.waitingToShow(5);
        assertEquals(5, traffic.framesWaitingToShow(1_000_000_000L));
        Thread.sleep(20);
        assertEquals(0, traffic.framesWaitingToShow(10_000_000L), "a word older than it may be is forgotten");
        traffic.waitingToShow(0);
        assertEquals(0, traffic.framesWaitingToShow(1_000_000_000L));
    }

    @Test
    void theDecoderReadsTheWaitingFramesAndRefusesAWordThatIsNoNumber() {
        int[] told = new int[2];
        ViewerMessageDecoder decoder = new ViewerMessageDecoder(command -> { }, timestamp -> { },
                (timestamp, waiting) -> { told[0] = timestamp; told[1] = waiting; }, bytes -> { });
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
