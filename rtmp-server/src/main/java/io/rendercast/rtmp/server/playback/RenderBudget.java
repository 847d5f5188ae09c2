package io.rendercast.rtmp.server.playback;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * The server's render and encode work, one handler call at a time per core, oldest playback first.
 *
 * <p>Two hundred players that start at once (or a crowd that plays and never reads, which the server cannot
 * tell from real players until their buffers fill) ask for more rendering and encoding than the machine has.
 * Left to the OS, every render and frame thread gets an equal share, and a player who was watching smoothly
 * drops to a few frames a second. Here each render or frame handler call takes a turn; waiting calls are served
 * by the age of their playback, so established players keep their rate and newcomers share what is left.
 *
 * <p>A handler that holds its turn for longer than {@value #STUCK_MILLIS} ms (blocked, or rendering something
 * huge) stops counting against the budget, so that a stuck handler cannot stop every other stream.
 */
public final class RenderBudget {

    static final long STUCK_MILLIS = 1000;
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private record Waiter(long priority, long order, Thread thread) {
    }

    private final int turns;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparingLong(Waiter::priority).thenComparingLong(Waiter::order));
    private final Map<Thread, Long> holders = new HashMap<>();
    private long order;

    /** @param turns handler calls that run at once: the machine's cores */
    public RenderBudget(int turns) {
        this.turns = turns;
    }

    /**
     * Waits for a turn. {@code priority}: the playback's start, so that older goes first. Returns false, with no
     * turn taken, once {@code wanted} says the caller need not wait any longer (its playback stopped).
     */
    boolean acquire(long priority, BooleanSupplier wanted) {
        Thread me = Thread.currentThread();
        Waiter waiter;
        lock.lock();
        try {
            waiter = new Waiter(priority, order++, me);
            waiting.add(waiter);
        } finally {
            lock.unlock();
        }
        while (true) {
            lock.lock();
            try {
                if (waiting.peek() == waiter && holders.size() < turns + stuckHolders()) {
                    waiting.poll();
                    holders.put(me, System.nanoTime());
                    wakeNext();
                    return true;
                }
                if (!wanted.getAsBoolean()) {
                    waiting.remove(waiter);
                    wakeNext();
                    return false;
                }
            } finally {
                lock.unlock();
            }
            LockSupport.parkNanos(this, RECHECK_NANOS);
        }
    }

    /** The calling thread's turn is over. */
    void release() {
        lock.lock();
        try {
            holders.remove(Thread.currentThread());
            wakeNext();
        } finally {
            lock.unlock();
        }
    }

    /** Holders past {@link #STUCK_MILLIS}: their turns no longer count. */
    private int stuckHolders() {
        long now = System.nanoTime();
        int stuck = 0;
        for (long since : holders.values()) {
            if (now - since > TimeUnit.MILLISECONDS.toNanos(STUCK_MILLIS)) {
                stuck++;
            }
        }
        return stuck;
    }

    private void wakeNext() {
        Waiter next = waiting.peek();
        if (next != null) {
            LockSupport.unpark(next.thread());
        }
    }
}
