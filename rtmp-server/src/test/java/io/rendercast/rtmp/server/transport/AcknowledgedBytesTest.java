package io.rendercast.rtmp.server.transport;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which count of bytes received a viewer's estimate takes: its own acknowledgements, or its TCP's. */
class AcknowledgedBytesTest {

    private static final int WINDOW = 32 << 10;

    @Test
    void eitherWhereOnlyOneIsKnown() {
        assertEquals(-1, ChannelTransport.acknowledged(-1, -1, WINDOW));
        assertEquals(500_000, ChannelTransport.acknowledged(-1, 500_000, WINDOW));
        assertEquals(400_000, ChannelTransport.acknowledged(400_000, -1, WINDOW));
    }

    @Test
    void theFinerTcpCountWhileThePlayerKeepsUpWithIt() {
        assertEquals(500_000, ChannelTransport.acknowledged(500_000 - WINDOW, 500_000, WINDOW));
    }

    @Test
    void thePlayersCountWhenSomethingBetweenHoldsMoreThanTwoWindows() {
        assertEquals(300_000, ChannelTransport.acknowledged(300_000, 300_000 + 3 * WINDOW, WINDOW));
    }

    @Test
    void thePlayersCountWhereNoWindowWasAsked() {
        assertEquals(300_000, ChannelTransport.acknowledged(300_000, 300_100, 0));
    }
}
