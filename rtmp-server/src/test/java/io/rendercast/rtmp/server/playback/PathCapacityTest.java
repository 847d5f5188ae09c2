package io.rendercast.rtmp.server.playback;

import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The path's capacity from TCP's readings of its delivery rate. */
class PathCapacityTest {

    private static final long FRAME_NANOS = 33_333_333;

    /**
     * As TCP drains a queue its readings overshoot the path for a few hundred ms (bench network's step: 1.5 to 1.66
     * Mbit/s on a 1.5 Mbit/s path, then 1.42 to 1.45): the capacity is the middle of the last second's, not the top.
     */
    @Test
    void tcpsRateIsTheMiddleOfItsReadingsOverASecond() {
        PathCapacity capacity = new PathCapacity();
        long nanos = 0;
        for (int frame = 0; frame < 30; frame++) {
            nanos += FRAME_NANOS;
            capacity.noteTcpRate(nanos, frame < 10 ? 1_600_000 + frame * 6_000 : 1_440_000 + frame % 3 * 5_000);
        }
        assertEquals(1_445_000, capacity.tcpRate(), 5_000);
        capacity.measureWhileQueued(nanos);
        assertEquals(capacity.tcpRate(), capacity.value());
        for (int frame = 0; frame < 40; frame++) {
            nanos += FRAME_NANOS;
            capacity.noteTcpRate(nanos, -1); // application-limited: nothing read
        }
        assertEquals(0, capacity.tcpRate(), "none read for over a second");
    }
}
