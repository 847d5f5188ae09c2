package io.rendercast.rtmp.server.connection;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;

/**
 * The connection's own thread: runs its tasks one at a time, in order, on a virtual thread named
 * {@code rtmp-connection-N} that exists only while there is work, so an idle connection holds no thread.
 *
 * <p>What a client can queue is bounded ({@link #submitFromClient}); the server's own tasks (stop, end) always
 * get in. After {@link #shutdown()} new tasks are dropped and the queue drains.
 */
final class ConnectionExecutor {

    private static final System.Logger LOG = System.getLogger(ConnectionExecutor.class.getName());

    private final String threadName;
    private final int maxClientTasks;
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private int clientTasks; // guarded by tasks
    private boolean running; // guarded by tasks
    private boolean shutdown; // guarded by tasks

    ConnectionExecutor(long connectionId, int maxClientTasks) {
        this.threadName = "rtmp-connection-" + connectionId;
        this.maxClientTasks = maxClientTasks;
    }

    /** Queues a task the client caused; false when the client has {@code maxClientTasks} waiting already. */
    boolean submitFromClient(Runnable task) {
        synchronized (tasks) {
            if (clientTasks >= maxClientTasks) {
                return false;
            }
            clientTasks++;
        }
        return submit(new ClientTask(task));
    }

    /** Queues one of the server's own tasks; false after shutdown. */
    boolean submit(Runnable task) {
        synchronized (tasks) {
            if (shutdown) {
                return false;
            }
            tasks.add(task);
            if (running) {
                return true;
            }
            running = true;
        }
        Thread.ofVirtual().name(threadName).start(this::drain);
        return true;
    }

    /** No task is taken after this; the one running finishes. */
    void shutdown() {
        synchronized (tasks) {
            shutdown = true;
            tasks.clear();
            clientTasks = 0;
            tasks.notifyAll();
        }
    }

    /** Waits until no task runs or waits, after {@link #shutdown()}; false on timeout. */
    boolean awaitIdle(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        synchronized (tasks) {
            while (running) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(tasks, left);
            }
            return true;
        }
    }

    private void drain() {
        while (true) {
            Runnable task;
            synchronized (tasks) {
                task = tasks.poll();
                if (task == null) {
                    running = false;
                    tasks.notifyAll();
                    return;
                }
                if (task instanceof ClientTask) {
                    clientTasks--;
                }
            }
            try {
                task.run();
            } catch (RuntimeException | Error e) {
                LOG.log(System.Logger.Level.ERROR, threadName + ": a task failed", e);
            }
        }
    }

    private record ClientTask(Runnable task) implements Runnable {
        @Override
        public void run() {
            task.run();
        }
    }
}
