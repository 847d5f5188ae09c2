package io.rendercast.linkemulator;

import java.util.ArrayDeque;

/**
 * The bottleneck's queue: chunks wait here for the link, and a chunk is taken in only while the bytes waiting
 * and on the link leave room for it, so that a sender faster than the link is pushed back once it is full.
 */
final class RouterQueue {

    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private long bytes; // waiting, and the one on the link

    /** Waits for room for {@code chunk} under {@code capacity} bytes (an empty queue takes any chunk). */
    synchronized void put(byte[] chunk, int capacity) throws InterruptedException {
        while (bytes > 0 && bytes + chunk.length > capacity) {
            wait();
        }
        bytes += chunk.length;
        chunks.addLast(chunk);
        notifyAll();
    }

    synchronized byte[] take() throws InterruptedException {
        while (chunks.isEmpty()) {
            wait();
        }
        return chunks.pollFirst();
    }

    /** A chunk taken has left the link: its bytes no longer count. */
    synchronized void release(int length) {
        bytes -= length;
        notifyAll();
    }
}
