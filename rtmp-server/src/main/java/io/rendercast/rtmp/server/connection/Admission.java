package io.rendercast.rtmp.server.connection;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.server.common.ClientEventLog;
import io.rendercast.rtmp.server.common.ServerLimits;
import io.rendercast.rtmp.server.metrics.ServerMetrics;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decides, as a connection is accepted, whether it gets a place: within the server's and its address's limits
 * it does; past them it is let through to be refused with a reason at {@code connect}, a few at a time, and past
 * those it is closed unanswered, so that a storm costs little.
 */
public final class Admission {

    private static final System.Logger LOG = System.getLogger(Admission.class.getName());

    /** The place a connection holds, given back when it ends, and why it is refused at connect, or null. */
    public record Ticket(ServerLimits.Slots slot, String refusal) {
    }

    private final RtmpServerOptions options;
    private final ServerLimits limits;
    private final ServerMetrics metrics;
    /** Connections open now, by the address they come from. */
    private final Map<InetAddress, AtomicInteger> perAddress = new ConcurrentHashMap<>();

    public Admission(RtmpServerOptions options, ServerLimits limits, ServerMetrics metrics) {
        this.options = options;
        this.limits = limits;
        this.metrics = metrics;
    }

    /** Why new connections are refused while the server drains; null while it does not. */
    private volatile String draining;

    /** From now on, every new connection is refused at connect with {@code why}. */
    public void drain(String why) {
        draining = why;
    }

    /** Why new connections are refused while the server drains, or null. */
    public String draining() {
        return draining;
    }

    /** A ticket for a connection from {@code peer}, or null when it is to be closed unanswered. */
    Ticket admit(InetAddress peer) {
        ServerLimits.Slots slot = limits.connections();
        String refusal = null;
        String drainingWhy = draining;
        // Counted in every case: forget() takes it back when the connection ends, refused or not.
        int fromPeer = perAddress.computeIfAbsent(peer, k -> new AtomicInteger()).incrementAndGet();
        if (drainingWhy != null) {
            refusal = drainingWhy;
        } else if (fromPeer
                > options.maxConnectionsPerAddress()) {
            refusal = "more than " + options.maxConnectionsPerAddress() + " connections from " + peer.getHostAddress();
        } else if (!slot.tryAcquire()) {
            refusal = "the server holds its most connections (" + limits.connections().max() + "); try again later";
        }
        if (refusal != null) {
            slot = limits.refusing();
            if (!slot.tryAcquire()) {
                forget(peer);
                metrics.refused(ServerMetrics.Refusal.SERVER_FULL);
                ClientEventLog.log(LOG, System.Logger.Level.WARNING, "closing new connections unanswered: "
                        + "the server holds its most connections ({0}) and is refusing {1} more already",
                        limits.connections().max(), limits.refusing().max());
                return null;
            }
        }
        return new Ticket(slot, refusal);
    }

    /** A connection from {@code peer} has ended. */
    void forget(InetAddress peer) {
        perAddress.computeIfPresent(peer, (k, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
