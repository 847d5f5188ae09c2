package io.rendercast.rtmp.server;

import io.rendercast.rtmp.ServerCapacity;
import io.rendercast.rtmp.server.common.ServerLimits;
import io.rendercast.rtmp.server.connection.Admission;
import java.lang.management.ManagementFactory;
import java.util.function.IntSupplier;

/**
 * The server's room, as a balancer reads it: the least of what is left of its connections, its playing streams,
 * its render budget's turns and the machine's CPU. At a limit of connections or streams it is full; while it drains it takes no one. Its
 * room, not its connection count, is what HAProxy should weigh nodes by: one player of a 4K stream costs what
 * forty of a small one do, and the CPU says so where a count cannot.
 */
final class ServerHealth {

    private final ServerLimits limits;
    private final int minRenderHeadroom;
    private final Admission admission;
    private final IntSupplier renderHeadroom;
    private final com.sun.management.OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);

    /** {@code renderHeadroom}: the render budget's unused turn time, 0 to 100 ({@code RenderBudget.headroomPercent}) */
    ServerHealth(ServerLimits limits, int minRenderHeadroom, Admission admission, IntSupplier renderHeadroom) {
        this.limits = limits;
        this.minRenderHeadroom = minRenderHeadroom;
        this.admission = admission;
        this.renderHeadroom = renderHeadroom;
    }

    ServerCapacity capacity() {
        String draining = admission.draining();
        if (draining != null) {
            return new ServerCapacity(ServerCapacity.State.DRAINING, 0, draining);
        }
        int connections = room(limits.connections().used(), limits.connections().max());
        int playing = room(limits.playingStreams().used(), limits.playingStreams().max());
        if (connections == 0) {
            return new ServerCapacity(ServerCapacity.State.FULL, 0, "the server holds its most connections ("
                    + limits.connections().max() + ")");
        }
        if (playing == 0) {
            return new ServerCapacity(ServerCapacity.State.FULL, 0, "the server plays its most streams ("
                    + limits.playingStreams().max() + ")");
        }
        int render = renderHeadroom.getAsInt();
        if (render < minRenderHeadroom) {
            return new ServerCapacity(ServerCapacity.State.FULL, 0, "the server's render turns are all but taken ("
                    + render + "% unused, below its least of " + minRenderHeadroom + "%)");
        }
        double load = os.getCpuLoad(); // the machine's, or the container's where the JVM sees one; < 0: unknown
        int cpu = load < 0 ? 100 : (int) Math.round(100 * (1 - Math.min(1, load)));
        int room = Math.min(Math.min(cpu, render), Math.min(connections, playing));
        return new ServerCapacity(ServerCapacity.State.OPEN, room, "room: connections " + connections
                + "%, playing streams " + playing + "%, render turns " + render + "%, CPU " + cpu + "%");
    }

    /**
     * The line HAProxy's agent check reads: {@code up N%} sets the node's weight to N % of its configured weight
     * (never 0 while it is open, which HAProxy would read as drain), {@code drain} while it drains, and
     * {@code down} while it is full.
     */
    static String agentReply(ServerCapacity capacity) {
        return switch (capacity.state()) {
            case OPEN -> "up " + Math.max(1, capacity.roomPercent()) + "%";
            case DRAINING -> "drain";
            case FULL -> "down";
        };
    }

    private static int room(int used, int max) {
        return max <= 0 ? 100 : (int) Math.max(0, Math.round(100.0 * (max - used) / max));
    }
}
