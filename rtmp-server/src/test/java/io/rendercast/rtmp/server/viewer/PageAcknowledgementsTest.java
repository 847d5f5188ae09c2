package io.rendercast.rtmp.server.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.rendercast.rtmp.server.transport.ByteCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The page's count of the video bytes it received, turned into the wire's count of bytes acknowledged: through
 * Netty's own WebSocket encoder, whose frame headers the page never sees.
 */
class PageAcknowledgementsTest {

    private final ByteCounter traffic = new ByteCounter();
    private final PageAcknowledgements acks = new PageAcknowledgements(traffic);
    private final EmbeddedChannel channel = new EmbeddedChannel(traffic, new WebSocket08FrameEncoder(false), acks);

    @AfterEach
    void releaseWhatWasWritten() {
        channel.finishAndReleaseAll();
    }

    @Test
    void aCountAtAMessagesEndIsTheWiresCountThere() {
        channel.writeOutbound(new BinaryWebSocketFrame(bytes(100))); // a 2-byte header
        channel.writeOutbound(new TextWebSocketFrame("0123456789")); // text: not counted by the page
        channel.writeOutbound(new BinaryWebSocketFrame(bytes(300))); // a 4-byte header
        assertEquals(102 + 12 + 304, traffic.bytesWritten(), "what the encoder wrote");
        assertFalse(traffic.acknowledgesEachMessage());

        acks.received(100);
        assertEquals(102, traffic.bytesAcknowledged());
        assertTrue(traffic.acknowledgesEachMessage());
        acks.received(250);
        assertEquals(102, traffic.bytesAcknowledged(), "a message half received is not acknowledged");
        acks.received(400);
        assertEquals(102 + 12 + 304, traffic.bytesAcknowledged());
    }

    @Test
    void aCountBeyondWhatWasSentOrOneThatWentBackIsRefused() {
        channel.writeOutbound(new BinaryWebSocketFrame(bytes(100)));
        assertThrows(IllegalArgumentException.class, () -> acks.received(101));
        acks.received(100);
        assertThrows(IllegalArgumentException.class, () -> acks.received(99));
    }

    @Test
    void aPageThatSaysNothingCostsABoundedRecord() {
        for (int i = 0; i < PageAcknowledgements.KEPT + 10; i++) {
            channel.writeOutbound(new BinaryWebSocketFrame(bytes(10)));
        }
        // The first ten messages' ends were let go: their counts name no end kept, the later ones do.
        acks.received(10L * 5);
        assertEquals(-1, traffic.bytesAcknowledged());
        acks.received(10L * 11);
        assertEquals(12L * 11, traffic.bytesAcknowledged());
        acks.received(10L * (PageAcknowledgements.KEPT + 10));
        assertEquals(traffic.bytesWritten(), traffic.bytesAcknowledged());
    }

    @Test
    void theDecoderReadsTheCountAndRefusesOneThatIsNoWholeNumber() {
        long[] told = {-1};
        EmbeddedChannel page = new EmbeddedChannel(new ViewerMessageDecoder(command -> { }, timestamp -> { },
                (timestamp, waiting) -> { }, bytes -> told[0] = bytes));
        page.writeInbound(new TextWebSocketFrame("{\"type\":\"received\",\"bytes\":123456}"));
        assertEquals(123456, told[0]);
        for (String bad : new String[] {"\"many\"", "-1", "1.5", "null"}) {
            assertThrows(IllegalArgumentException.class, () -> page.writeInbound(
                    new TextWebSocketFrame("{\"type\":\"received\",\"bytes\":" + bad + "}")), bad);
        }
        assertEquals(null, ViewerMessages.read("{\"type\":\"received\",\"bytes\":1}"), "no command");
    }

    private static ByteBuf bytes(int size) {
        return Unpooled.wrappedBuffer(new byte[size]);
    }
}
