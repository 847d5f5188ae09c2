package io.rendercast.rtmp;

/**
 * How much more a server can take, as a load balancer needs to know it: whether it takes new viewers, and its
 * room as a share of what it could hold. The server measures it ({@link RtmpServer#capacity()}), serves it on
 * {@code /health} and to HAProxy's agent checks ({@link RtmpServer#startAgentCheck}), and in {@code /metrics}.
 *
 * @param state       whether new viewers are taken
 * @param roomPercent 0 to 100: the least room among connections, playing streams, render turns and CPU
 * @param reason      why it takes no new viewers, or what its room is made of
 */
public record ServerCapacity(State state, int roomPercent, String reason) {

    /** Whether a server takes new viewers. */
    public enum State {
        /** It takes new viewers. */
        OPEN,
        /** At a limit: connections, playing streams, or CPU; it takes new viewers again once there is room. */
        FULL,
        /** Draining ({@link RtmpServer#drain}): it refuses new viewers, and its players play on until they leave. */
        DRAINING
    }

    public ServerCapacity {
        if (roomPercent < 0 || roomPercent > 100) {
            throw new IllegalArgumentException("roomPercent goes from 0 to 100, got " + roomPercent);
        }
    }

    /** Whether new viewers are taken. */
    public boolean takesViewers() {
        return state == State.OPEN;
    }
}
