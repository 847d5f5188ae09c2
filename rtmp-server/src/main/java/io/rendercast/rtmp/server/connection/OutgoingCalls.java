package io.rendercast.rtmp.server.connection;

import io.netty.util.concurrent.EventExecutor;
import io.rendercast.rtmp.RemoteCallException;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls from the server to one client, waiting for their answers.
 *
 * <p>Answers are taken on the network thread, as soon as they are read, not behind the connection's queue: a
 * handler that waits on a call therefore gets its answer. Every future is completed on a virtual thread of its
 * own, so that no application continuation runs on a network thread or blocks the connection's thread.
 */
final class OutgoingCalls {

    private final int maxPending;
    private final Duration timeout;
    private final AtomicLong nextTransactionId = new AtomicLong(1);
    private final Map<Double, PendingCall> pending = new ConcurrentHashMap<>();

    private record PendingCall(String procedure, CompletableFuture<Object> result) {
    }

    OutgoingCalls(int maxPending, Duration timeout) {
        this.maxPending = maxPending;
        this.timeout = timeout;
    }

    /**
     * Registers a call and schedules its timeout on {@code timer}; returns its transaction id, or 0 when too many
     * calls wait already (the future has then failed).
     */
    double register(String procedure, CompletableFuture<Object> result, EventExecutor timer) {
        if (pending.size() >= maxPending) {
            complete(result, null, new IllegalStateException(maxPending
                    + " calls to the client are waiting for answers already; '" + procedure + "' not sent"));
            return 0;
        }
        double transactionId = nextTransactionId.getAndIncrement();
        pending.put(transactionId, new PendingCall(procedure, result));
        timer.schedule(() -> fail(transactionId, new TimeoutException("the client did not answer '" + procedure
                + "' within " + timeout.toMillis() + " ms")), timeout.toMillis(), TimeUnit.MILLISECONDS);
        return transactionId;
    }

    /** The client answered; false when no call waits for that transaction. */
    boolean answered(double transactionId, boolean succeeded, Object value) {
        PendingCall call = pending.remove(transactionId);
        if (call == null) {
            return false;
        }
        complete(call.result(), succeeded ? value : null,
                succeeded ? null : new RemoteCallException(call.procedure(), value));
        return true;
    }

    void fail(double transactionId, Throwable reason) {
        PendingCall call = pending.remove(transactionId);
        if (call != null) {
            complete(call.result(), null, reason);
        }
    }

    /** The connection ended: every call still waiting fails. */
    void failAll(String why) {
        for (Double transactionId : pending.keySet()) {
            PendingCall call = pending.get(transactionId);
            if (call != null) {
                fail(transactionId, new IOException(why + " before the client answered '" + call.procedure() + "'"));
            }
        }
    }

    private static void complete(CompletableFuture<Object> result, Object value, Throwable failure) {
        Thread.ofVirtual().name("rtmp-call-answer").start(() -> {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        });
    }
}
