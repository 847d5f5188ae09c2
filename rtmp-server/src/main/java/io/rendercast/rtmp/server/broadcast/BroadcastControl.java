package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.CallHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ControlPolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who steers a broadcast: its controllers in the order they got control, the connections queued for it, the
 * procedures controllers call, and the watchers, each told of every change. Requests and releases come on their
 * connections' threads, grants and revokes from any thread; one lock keeps the roles consistent, and a watcher is
 * told by handing the new state to its own connection thread.
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

    /** Watchers are told of the audience's size at most this often; of a change of control, at once. */
    static final long COUNT_EVERY_MILLIS = 1000;

    /** A request's or a release's answer: the state of the asking connection, or why there is none. */
    public record Answer(Map<String, Object> state, String refusal) {
    }

    private final Broadcast broadcast;
    private final Runnable changed;
    private final Map<String, CallHandler> procedures = new ConcurrentHashMap<>();
    private final Object lock = new Object();
    private final Set<Connection> controllers = new LinkedHashSet<>();
    private final Set<Connection> queue = new LinkedHashSet<>();
    private final Set<Watcher> watchers = new LinkedHashSet<>();
    private volatile ControlPolicy policy = ControlPolicy.APPLICATION_GRANTS;
    // Guarded by lock: when everyone was last told, and whether a telling of the count is due.
    private long toldAtNanos = Long.MIN_VALUE / 2;
    private boolean countDue;

    /** @param changed told of every change of who controls, for the server's metrics */
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
        synchronized (lock) {
            return controllers.contains(connection);
        }
    }

    List<Connection> controllers() {
        synchronized (lock) {
            return List.copyOf(controllers);
        }
    }

    void grant(Connection connection) {
        synchronized (lock) {
            queue.remove(connection);
            if (controllers.add(connection)) {
                roleChanged();
            }
        }
    }

    void revoke(Connection connection) {
        synchronized (lock) {
            boolean controlled = controllers.remove(connection);
            boolean queued = queue.remove(connection);
            if (controlled && controllers.isEmpty() && !queue.isEmpty()) {
                Connection next = queue.iterator().next();
                queue.remove(next);
                controllers.add(next);
            }
            if (controlled || queued) {
                roleChanged();
            }
        }
    }

    /**
     * {@code asking} asks for control; the policy answers, on the asking connection's thread and under the lock,
     * so that two who ask at once are answered one after the other.
     */
    public Answer request(Connection asking) {
        synchronized (lock) {
            if (controllers.contains(asking) || queue.contains(asking)) {
                return new Answer(state(asking), null);
            }
            switch (policy.requested(broadcast, asking)) {
                case GRANT -> controllers.add(asking);
                case QUEUE -> queue.add(asking);
                case REFUSE -> {
                    return new Answer(null, "control of '" + broadcast.app() + "/" + broadcast.streamName()
                            + "' is not to be had; " + describe());
                }
            }
            roleChanged();
            return new Answer(state(asking), null);
        }
    }

    /** {@code connection} gives control up, or its place in the queue. */
    public Answer release(Connection connection) {
        revoke(connection);
        synchronized (lock) {
            return new Answer(state(connection), null);
        }
    }

    /** A stream starts watching: it is told the state at once, and the others the new count soon. */
    public void watch(Watcher watcher) {
        synchronized (lock) {
            watchers.add(watcher);
            watcher.told(state(watcher.connection()));
            countChanged(watcher);
        }
    }

    /**
     * The audience's size changed: everyone is told now if no one was for a second, else once a second has passed,
     * so that a crowd that joins at once costs one telling a second, not one per newcomer.
     */
    private void countChanged(Watcher via) {
        long sinceMillis = (System.nanoTime() - toldAtNanos) / 1_000_000;
        if (sinceMillis >= COUNT_EVERY_MILLIS) {
            tellEveryone();
        } else if (!countDue) {
            countDue = true;
            via.later(() -> {
                synchronized (lock) {
                    if (countDue) {
                        tellEveryone();
                    }
                }
            }, COUNT_EVERY_MILLIS - sinceMillis);
        }
    }

    /**
     * A stream stops watching. Where it was its connection's last stream on the broadcast, the connection gives
     * up control and its place in the queue.
     */
    public void unwatch(Watcher watcher) {
        Connection connection = watcher.connection();
        synchronized (lock) {
            watchers.remove(watcher);
            for (Watcher other : watchers) {
                if (other.connection() == connection) {
                    countChanged(other);
                    return;
                }
            }
            if (!controllers.contains(connection) && !queue.contains(connection) && !watchers.isEmpty()) {
                countChanged(watchers.iterator().next());
                return;
            }
        }
        revoke(connection);
    }

    /** Who controls or waits changed: everyone is told at once. */
    private void roleChanged() {
        changed.run();
        tellEveryone();
    }

    /** Who controls, for a watcher's refused call. */
    public String describe() {
        synchronized (lock) {
            return controllers.isEmpty() ? "no one controls it" : names() + " controls it";
        }
    }

    private void tellEveryone() {
        toldAtNanos = System.nanoTime();
        countDue = false;
        for (Watcher watcher : watchers) {
            watcher.told(state(watcher.connection()));
        }
    }

    /** {@code onControl}'s object for {@code connection}; under the lock. */
    private Map<String, Object> state(Connection connection) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("role", controllers.contains(connection) ? "controller"
                : queue.contains(connection) ? "queued" : "watcher");
        List<Object> names = new ArrayList<>();
        for (Connection controller : controllers) {
            names.add(name(controller));
        }
        state.put("controllers", names);
        state.put("watchers", (double) watchers.size());
        if (queue.contains(connection)) {
            state.put("position", (double) (List.copyOf(queue).indexOf(connection) + 1));
        }
        return state;
    }

    private String names() {
        List<String> names = new ArrayList<>();
        for (Connection controller : controllers) {
            names.add(name(controller));
        }
        return String.join(", ", names);
    }

    private static String name(Connection connection) {
        return connection.getProperty(Broadcast.CONTROLLER_NAME_PROPERTY) instanceof String name && !name.isBlank()
                ? name : "viewer " + connection.id();
    }
}
