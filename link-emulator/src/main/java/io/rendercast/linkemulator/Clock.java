package io.rendercast.linkemulator;

import java.util.concurrent.locks.LockSupport;

/** Waits on the monotonic clock. */
final class Clock {

    private Clock() {
    }

    static void sleepUntil(long nanos) throws InterruptedException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            LockSupport.parkNanos(left);
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }
}
