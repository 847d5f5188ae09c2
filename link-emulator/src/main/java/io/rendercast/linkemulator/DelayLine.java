package io.rendercast.linkemulator;

import java.util.ArrayDeque;

/** Chunks on the wire, each due at the far end at its own time, in the order sent. */
final class DelayLine {

    record Arrival(byte[] bytes, long dueNanos) {
    }

    private final ArrayDeque<Arrival> inFlight = new ArrayDeque<>();

    synchronized void put(byte[] chunk, long dueNanos) {
        inFlight.addLast(new Arrival(chunk, dueNanos));
        notifyAll();
    }

    synchronized Arrival take() throws InterruptedException {
        while (inFlight.isEmpty()) {
            wait();
        }
        return inFlight.pollFirst();
    }
}
