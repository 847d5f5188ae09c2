package io.rendercast.rtmp.server.viewer;

import io.rendercast.rtmp.server.transport.ByteCounter;

/**
 * Where each frame sent to the viewer page began in the connection's bytes, so that the page's word that it drew a
 * frame ({@code {"type":"drawn","timestamp":T}}) counts every byte before the next frame as shown. TCP's
 * acknowledgements say what reached the browser; these say what it has shown, and so the frames waiting in its
 * decoder, behind a main thread or a slow device, can be told from a queue on the path. The page also says how many
 * frames wait in its decoder, which no relay or proxy on the path can blur.
 *
 * <p>Event loop only: frames are marked as they are written and drawn as the page's messages are read.
 */
final class DrawnFrames {

    /** Frames remembered at most; a page further behind than this acknowledges nothing until it catches up. */
    static final int CAPACITY = 256;

    private final ByteCounter traffic;
    private final int[] timestamps = new int[CAPACITY];
    private final long[] starts = new long[CAPACITY];
    private int first;
    private int size;

    DrawnFrames(ByteCounter traffic) {
        this.traffic = traffic;
    }

    /** A frame stamped {@code timestamp} is about to be written: it begins at the bytes written so far. */
    void sending(int timestamp) {
        if (size == CAPACITY) {
            first = (first + 1) % CAPACITY;
            size--;
        }
        int at = (first + size) % CAPACITY;
        timestamps[at] = timestamp;
        starts[at] = traffic.bytesWritten();
        size++;
    }

    /**
     * The page drew the frame stamped {@code timestamp}, and says {@code waiting} more frames wait in its decoder
     * (-1: it does not say).
     */
    void drawn(int timestamp, int waiting) {
        if (waiting >= 0) {
            traffic.waitingToShow(waiting);
        }
        drawn(timestamp);
    }

    /**
     * The page drew the frame stamped {@code timestamp}: it has finished with everything before the frame after
     * it. A timestamp it was not sent, or one already acknowledged, changes nothing.
     */
    void drawn(int timestamp) {
        for (int i = 0; i < size; i++) {
            if (timestamps[(first + i) % CAPACITY] == timestamp) {
                int next = i + 1;
                traffic.shownThrough(next < size ? starts[(first + next) % CAPACITY] : traffic.bytesWritten());
                first = (first + next) % CAPACITY;
                size -= next;
                return;
            }
        }
    }
}
