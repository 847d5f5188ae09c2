package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ControlPolicy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Who steers a broadcast: its controllers in the order they got control, the connections queued for it, the
 * procedures controllers call, and the watchers, each told of every change. Requests and releases come on their
 * connections' threads, grants and revokes from any thread; one lock keeps the roles consistent, and a watcher is
 * told by handing the new state to its own connection thread.
 *
 * <p>Telling everyone costs a message per watcher, so it happens at most every {@value #ROLES_EVERY_MILLIS} ms
 * for a change of who controls (a watcher who asks and gives up over and over cannot flood the others) and every
 * {@value #COUNT_EVERY_MILLIS} ms for a change of the audience's size; changes in between are told together.
 */
public final class BroadcastControl {

    /** A stream that watches the broadcast, told of the control's state as it changes. */
    public interface Watcher {

        /** The connection the stream belongs to. */
        Connection connection();

        /** The control's state as this watcher sees it ({@code onControl}'s object); must not block. */
        void told(Map<String, Object> state);

        /** Runs {@code task} after {@code delayMillis}, on the watcher's connection thread. */
        void later(Runnable task, long delayMillis);
    }

    /** Watchers are told of a change of who controls at most this often. */
    static final long ROLES_EVERY_MILLIS = 100;
    /** Watchers are told of the audience's size at most this often. */
    static final long COUNT_EVERY_MILLIS = 1000;

    /** A request's or a release's answer: the state of the asking connection, or why there is none. */
    public record Answer(Map<String, Object> state, String refusal) {
    }

    private final Broadcast broadcast;
    private final Runnable changed;
    private final Map<String, CallHandler> procedures = new ConcurrentHashMap<>();
    /** Not synchronized: a virtual connection thread waiting on a monitor would hold its carrier (JDK 21). */
    private final ReentrantLock lock = new ReentrantLock();
    private final Set<Connection> controllers = new LinkedHashSet<>();
    private final Set<Connection> queue = new LinkedHashSet<>();
    private final Set<Watcher> watchers = new LinkedHashSet<>();
    private volatile ControlPolicy policy = ControlPolicy.APPLICATION_GRANTS;
    // Guarded by lock: when everyone was last told, and when the next telling is due (0: none is).
    private long toldAtNanos = Long.MIN_VALUE / 2;
    private long dueAtNanos;
    private long changes;
    private final AtomicLong callsRefused = new AtomicLong();

    /** @param changed told of every change of who controls or waits, for the server's metrics */
    BroadcastControl(Broadcast broadcast, Runnable changed) {
        this.broadcast = broadcast;
        this.changed = changed;
    }

    void register(String procedure, CallHandler handler) {
        if (procedure == null || handler == null) {
            throw new IllegalArgumentException("a procedure's name and its handler, both; got " + procedure
                    + " and " + handler);
        }
        procedures.put(procedure, handler);
    }

    void policy(ControlPolicy policy) {
        if (policy == null) {
            throw new IllegalArgumentException("a control policy, not null");
        }
        this.policy = policy;
    }

    /** The handler controllers reach with {@code procedure}, or null when the broadcast registers none. */
    public CallHandler procedure(String procedure) {
        return procedures.get(procedure);
    }

    public boolean controls(Connection connection) {
        lock.lock();
        try {
            return controllers.contains(connection);
        } finally {
            lock.unlock();
        }
    }

    List<Connection> controllers() {
        lock.lock();
        try {
            return List.copyOf(controllers);
        } finally {
            lock.unlock();
        }
    }

    void grant(Connection connection) {
        lock.lock();
        try {
            queue.remove(connection);
            if (controllers.add(connection)) {
                rolesChanged();
            }
        } finally {
            lock.unlock();
        }
    }

    void revoke(Connection connection) {
        lock.lock();
        try {
            boolean controlled = controllers.remove(connection);
            boolean queued = queue.remove(connection);
            if (controlled && controllers.isEmpty() && !queue.isEmpty()) {
                Connection next = queue.iterator().next();
                queue.remove(next);
                controllers.add(next);
            }
            if (controlled || queued) {
                rolesChanged();
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code asking} asks for control; the policy answers, on the asking connection's thread and under the lock,
     * so that two who ask at once are answered one after the other.
     */
    public Answer request(Connection asking) {
        lock.lock();
        try {
            if (controllers.contains(asking) || queue.contains(asking)) {
                return new Answer(state(asking, positions()), null);
            }
            switch (policy.requested(broadcast, asking)) {
                case GRANT -> controllers.add(asking);
                case QUEUE -> queue.add(asking);
                case REFUSE -> {
                    return new Answer(null, "control of '" + broadcast.app() + "/" + broadcast.streamName()
                            + "' is not to be had; " + describe());
                }
            }
            rolesChanged();
            return new Answer(state(asking, positions()), null);
        } finally {
            lock.unlock();
        }
    }

    /** {@code connection} gives control up, or its place in the queue. */
    public Answer release(Connection connection) {
        lock.lock();
        try {
            revoke(connection);
            return new Answer(state(connection, positions()), null);
        } finally {
            lock.unlock();
        }
    }

    /** A stream starts watching: it is told the state at once, and the others the new count soon. */
    public void watch(Watcher watcher) {
        lock.lock();
        try {
            watchers.add(watcher);
            watcher.told(state(watcher.connection(), positions()));
            tellWithin(COUNT_EVERY_MILLIS);
        } finally {
            lock.unlock();
        }
    }

    /**
     * A stream stops watching. Where it was its connection's last stream on the broadcast, the connection gives
     * up control and its place in the queue.
     */
    public void unwatch(Watcher watcher) {
        Connection connection = watcher.connection();
        lock.lock();
        try {
            watchers.remove(watcher);
            for (Watcher other : watchers) {
                if (other.connection() == connection) {
                    tellWithin(COUNT_EVERY_MILLIS);
                    return;
                }
            }
            revoke(connection);
            tellWithin(COUNT_EVERY_MILLIS);
        } finally {
            lock.unlock();
        }
    }

    /** A watcher called a procedure of the broadcast's and was refused. */
    public void callRefused() {
        callsRefused.incrementAndGet();
    }

    /** The counts for the broadcast's statistics. */
    Counts counts() {
        lock.lock();
        try {
            Set<Connection> watching = new HashSet<>();
            for (Watcher watcher : watchers) {
                watching.add(watcher.connection());
            }
            watching.removeAll(controllers);
            return new Counts(controllers.size(), watching.size(), changes, callsRefused.get());
        } finally {
            lock.unlock();
        }
    }

    /** How many control and watch now, and how often control changed and a watcher's call was refused. */
    record Counts(int controllers, int watchers, long changes, long callsRefused) {
    }

    /** Who controls, for a watcher's refused call. */
    public String describe() {
        lock.lock();
        try {
            return controllers.isEmpty() ? "no one controls it" : String.join(", ", names()) + " controls it";
        } finally {
            lock.unlock();
        }
    }

    /** Who controls or waits changed; under the lock. */
    private void rolesChanged() {
        changes++;
        changed.run();
        tellWithin(ROLES_EVERY_MILLIS);
    }

    /**
     * Tells everyone the state now if no one was told for {@code millis}, else once that long has passed since the
     * last telling, unless a telling is due sooner already; under the lock.
     */
    private void tellWithin(long millis) {
        if (watchers.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        if (dueAtNanos != 0 && now - dueAtNanos > TimeUnit.SECONDS.toNanos(1)) {
            dueAtNanos = 0; // its task was lost with the connection that was to run it
        }
        long at = toldAtNanos + TimeUnit.MILLISECONDS.toNanos(millis);
        if (at <= now) {
            tellEveryone();
        } else if (dueAtNanos == 0 || at < dueAtNanos) {
            dueAtNanos = at;
            watchers.iterator().next().later(() -> {
                lock.lock();
                try {
                    if (dueAtNanos != 0 && System.nanoTime() >= dueAtNanos - TimeUnit.MILLISECONDS.toNanos(1)) {
                        tellEveryone();
                    }
                } finally {
                    lock.unlock();
                }
            }, TimeUnit.NANOSECONDS.toMillis(at - now) + 1);
        }
    }

    private void tellEveryone() {
        toldAtNanos = System.nanoTime();
        dueAtNanos = 0;
        Map<Connection, Integer> positions = positions();
        for (Watcher watcher : watchers) {
            watcher.told(state(watcher.connection(), positions));
        }
    }

    /** Each queued connection's place in the queue, from 1; under the lock. */
    private Map<Connection, Integer> positions() {
        Map<Connection, Integer> positions = new HashMap<>();
        for (Connection queued : queue) {
            positions.put(queued, positions.size() + 1);
        }
        return positions;
    }

    /** {@code onControl}'s object for {@code connection}; under the lock. */
    private Map<String, Object> state(Connection connection, Map<Connection, Integer> positions) {
        Map<String, Object> state = new LinkedHashMap<>();
        Integer position = positions.get(connection);
        state.put("role", controllers.contains(connection) ? "controller" : position != null ? "queued" : "watcher");
        state.put("controllers", new ArrayList<Object>(names()));
        state.put("watchers", (double) watchers.size());
        if (position != null) {
            state.put("position", (double) position);
        }
        return state;
    }

    /** The controllers' names, in the order they got control; under the lock. */
    private List<String> names() {
        List<String> names = new ArrayList<>();
        for (Connection controller : controllers) {
            names.add(name(controller));
        }
        return names;
    }

    private static String name(Connection connection) {
        return connection.getProperty(Broadcast.CONTROLLER_NAME_PROPERTY) instanceof String name && !name.isBlank()
                ? name : "viewer " + connection.id();
    }
}
