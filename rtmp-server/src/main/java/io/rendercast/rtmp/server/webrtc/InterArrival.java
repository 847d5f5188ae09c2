package io.rendercast.rtmp.server.webrtc;

/**
 * Groups a WebRTC viewer's packets as they were sent, in bursts of {@value #GROUP_MILLIS} ms, and says for each
 * group how much longer (or shorter) it took to arrive after the one before than it took to be sent after it: the
 * growth of the queues on the path, which Google Congestion Control reads (libwebrtc's {@code InterArrivalDelta}).
 * Packets that arrive in a burst behind others (a queue emptying at once, as Wi-Fi does) join their group, so that
 * their bunching is not taken for a queue draining. Times in milliseconds: send times on the server's clock,
 * arrival times on the viewer's. Not thread-safe.
 */
final class InterArrival {

    static final double GROUP_MILLIS = 5;
    private static final double BURST_MILLIS = 5;
    private static final double MOST_BURST_MILLIS = 100;
    /** The two clocks drift apart by more than this between groups only when one jumped: start again. */
    private static final double CLOCK_JUMP_MILLIS = 3000;
    private static final int REORDERED_TO_RESET = 3;

    /** What one group took to arrive after the one before, less what it took to be sent after it. */
    record Delta(double sendDeltaMillis, double arrivalDeltaMillis, double arrivalMillis) {
        double growthMillis() {
            return arrivalDeltaMillis - sendDeltaMillis;
        }
    }

    private static final class Group {
        double firstSend = Double.NaN;
        double lastSend;
        double firstArrival;
        double lastArrival = Double.NaN;
        double lastLocal;

        boolean isEmpty() {
            return Double.isNaN(firstSend);
        }
    }

    private Group current = new Group();
    private Group previous = new Group();
    private int reordered;

    /**
     * A packet sent at {@code sendMillis} arrived at {@code arrivalMillis}, and its arrival was learnt at
     * {@code localMillis} (the server's clock): returns the delta of the group it closes, or null while its group
     * is open.
     */
    Delta packet(double sendMillis, double arrivalMillis, double localMillis) {
        Delta delta = null;
        if (current.isEmpty()) {
            current.firstSend = current.lastSend = sendMillis;
            current.firstArrival = arrivalMillis;
        } else if (sendMillis < current.firstSend) {
            return null; // sent before the group began: reordered, says nothing of the queue
        } else if (startsGroup(sendMillis, arrivalMillis)) {
            if (!Double.isNaN(previous.lastArrival)) {
                double sendDelta = current.lastSend - previous.lastSend;
                double arrivalDelta = current.lastArrival - previous.lastArrival;
                double localDelta = current.lastLocal - previous.lastLocal;
                if (arrivalDelta - localDelta >= CLOCK_JUMP_MILLIS) {
                    reset();
                    return null;
                }
                if (arrivalDelta < 0) {
                    if (++reordered >= REORDERED_TO_RESET) {
                        reset();
                    }
                    return null;
                }
                reordered = 0;
                delta = new Delta(sendDelta, arrivalDelta, current.lastArrival);
            }
            previous = current;
            current = new Group();
            current.firstSend = current.lastSend = sendMillis;
            current.firstArrival = arrivalMillis;
        } else {
            current.lastSend = Math.max(current.lastSend, sendMillis);
        }
        current.lastArrival = arrivalMillis;
        current.lastLocal = localMillis;
        return delta;
    }

    private boolean startsGroup(double sendMillis, double arrivalMillis) {
        double arrivalDelta = arrivalMillis - current.lastArrival;
        double sendDelta = sendMillis - current.lastSend;
        if (sendDelta == 0) {
            return false;
        }
        boolean burst = arrivalDelta - sendDelta < 0 && arrivalDelta <= BURST_MILLIS
                && arrivalMillis - current.firstArrival < MOST_BURST_MILLIS;
        return !burst && sendMillis - current.firstSend > GROUP_MILLIS;
    }

    private void reset() {
        current = new Group();
        previous = new Group();
        reordered = 0;
    }
}
