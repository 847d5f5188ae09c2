package io.rendercast.rtmp.server.playback;

import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The server's render and encode work, one handler call at a time per core, oldest playback first.
 *
 * <p>Two hundred players that start at once (or a crowd that plays and never reads, which the server cannot
 * tell from real players until their buffers fill) ask for more rendering and encoding than the machine has.
 * Left to the OS, every render and frame thread gets an equal share, and a player who was watching smoothly
 * drops to a few frames a second. Here each render or frame handler call takes a turn; waiting calls are served
 * by the age of their playback, so established players keep their rate and newcomers share what is left.
 *
 * <p>A handler that holds its turn for longer than {@value #STUCK_MILLIS} ms, some eight frame periods (blocked,
 * rendering something huge, or waiting on the kernel's memory map beside other load, as an x264 encode or a
 * conversion was seen to for seconds), stops counting against the budget, so that a stuck handler stops no
 * other stream for longer than that.
 *
 * <p>A playback's one-time set-up (its canvases, its encoder's open) takes no turn: it takes one of as many
 * set-up places, in order of arrival. Set-up allocates megabytes, and beside other load an x264 open was seen to
 * take seconds; holding a turn through it, two newcomers stopped an established player for that long. Set-ups
 * now wait only for each other.
 *
 * <p>The share of turn time left unused ({@link #headroomPercent}) is part of what a node tells its balancer: a
 * node whose turns are all taken cannot render one more stream smoothly, however idle the rest of the machine.
 */
public final class RenderBudget {

    static final long STUCK_MILLIS = 250;
    private static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
    /** Shorter windows would swing with each frame; a balancer's checks come every few seconds. */
    private static final long HEADROOM_WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    private record Waiter(long priority, long order, Thread thread) {
    }

    private final int turns;
    private final ReentrantLock lock = new ReentrantLock();
    private final PriorityQueue<Waiter> waiting = new PriorityQueue<>(
            Comparator.comparingLong(Waiter::priority).thenComparingLong(Waiter::order));
    private final Map<Thread, Long> holders = new HashMap<>();
    private long order;
    private final Semaphore setUps;
    /** Turn time in the current headroom window, of turns that ended in it; and the window's start. */
    private long windowBusyNanos;
    private long windowStart = System.nanoTime();
    private int headroom = 100;

    /** @param turns handler calls that run at once, and set-ups: the machine's cores */
    public RenderBudget(int turns) {
        this.turns = turns;
        this.setUps = new Semaphore(turns, true);
    }

    /**
     * Runs a playback's one-time {@code setUp} in a set-up place, not a turn. Returns null, without running it,
     * once {@code wanted} says the caller need not wait any longer.
     */
    <T> T setUp(Supplier<T> setUp, BooleanSupplier wanted) {
        try {
            while (!setUps.tryAcquire(RECHECK_NANOS, TimeUnit.NANOSECONDS)) {
                if (!wanted.getAsBoolean()) {
                    return null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
        try {
            return setUp.get();
        } finally {
            setUps.release();
        }
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
                // Stuck holders free their turns, at most as many more as there are turns: beside other load
                // every call slows, and without the cap the budget would stop limiting anything.
                if (waiting.peek() == waiter && holders.size() < turns + Math.min(stuckHolders(), turns)) {
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
            Long since = holders.remove(Thread.currentThread());
            if (since != null) {
                windowBusyNanos += System.nanoTime() - Math.max(since, windowStart);
            }
            wakeNext();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The share of turn time that went unused, 0 to 100, over the last second or more: 0 when every turn was held
     * all the time (or more turns than there are, as stuck ones do), 100 when none was.
     */
    public int headroomPercent() {
        lock.lock();
        try {
            long now = System.nanoTime();
            long elapsed = now - windowStart;
            if (elapsed >= HEADROOM_WINDOW_NANOS) {
                long busy = windowBusyNanos;
                for (long since : holders.values()) {
                    busy += now - Math.max(since, windowStart);
                }
                double used = (double) busy / ((double) turns * elapsed);
                headroom = (int) Math.round(100 * (1 - Math.min(1, used)));
                windowBusyNanos = 0;
                windowStart = now;
            }
            return headroom;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether one more stream may start while at least {@code minPercent} of the turn time goes unused; if so, its
     * estimated share ({@code playing} streams used what the window measured) is taken off the headroom until the
     * next window's measure. A newcomer holds no turn until its set-up is done, so without that a crowd arriving
     * within one window would all be let in on the same figure.
     */
    boolean admit(int minPercent, int playing) {
        lock.lock();
        try {
            int measured = headroomPercent();
            if (measured < minPercent) {
                return false;
            }
            headroom = Math.max(0, measured - Math.max(1, (100 - measured) / Math.max(1, playing)));
            return true;
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
