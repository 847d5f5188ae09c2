package io.rendercast.rtmp.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.RawUnixChannelOption;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * What Linux's TCP knows of a channel's path, from {@code getsockopt(TCP_INFO)} on an epoll channel: the bytes the
 * peer has acknowledged and the smoothed round trip. A player that acknowledges nothing itself (HTTP-FLV, the
 * WebSocket page, anything under TLS) is thereby timed as well as an RTMP player that does, packet by packet: the
 * kernel's acknowledgements are the player's TCP stack's. The epoll classes are reached only for an epoll channel,
 * since their module may be missing ({@code requires static}).
 */
final class TcpInfo {

    /**
     * A reading; -1 where not known.
     *
     * @param pathRate the rate TCP last measured its acknowledgements coming at (bits a second), from a stretch
     *                 when it had more to send than the path took: not limited by the application, so the path's
     *                 rate; -1 when the sender ran out of data in that stretch, when the peer is nearer than
     *                 {@value Epoll#NEAR_MICROS} µs (a relay or proxy on this host or beside it, whose buffers stand
     *                 between TCP and the player's path), when TCP held its window at
     *                 {@value LinkSample#LEAST_WINDOW} packets or fewer, or when the kernel does not say
     * @param window   TCP's congestion window in packets
     * @param queueMicros what TCP's smoothed round trip has beyond its least ({@link #queueMicros(long, long)}), or -1
     * @param near     whether the peer is nearer than {@value Epoll#NEAR_MICROS} µs: a relay or proxy on this host or
     *                 beside it (or the player itself), whose TCP acknowledges what may yet wait in its buffers
     */
    record Reading(long roundTripMicros, long bytesAcknowledged, long pathRate, long window, long queueMicros,
                   boolean near) {
        static final Reading UNKNOWN = new Reading(-1, -1, -1, -1, -1, false);
    }

    private static final String EPOLL_CHANNEL = "io.netty.channel.epoll.EpollSocketChannel";

    private final Channel channel;
    private final boolean reported;

    TcpInfo(Channel channel) {
        this.channel = channel;
        this.reported = channel.getClass().getName().equals(EPOLL_CHANNEL);
    }

    /** Reads it now: a system call. From any thread. */
    Reading read() {
        if (!reported || !channel.isActive()) {
            return Reading.UNKNOWN;
        }
        return Epoll.read(channel);
    }

    /**
     * The path's rate in bits a second from the kernel's delivery rate ({@code bytesPerSecond}), or -1: when the
     * sender ran out of data or stands too near ({@code limitedHere}), or when TCP held its window at
     * {@value LinkSample#LEAST_WINDOW} packets or fewer: bench network's step saw BBR's 0.5 Mbit/s of ProbeRTT
     * taken as a 1.5 Mbit/s path's capacity, the rate cut to 0.75 Mbit/s and 5 s to climb back.
     */
    static long pathRate(long bytesPerSecond, boolean limitedHere, long window) {
        return bytesPerSecond <= 0 || limitedHere || window <= LinkSample.LEAST_WINDOW ? -1 : bytesPerSecond * 8;
    }

    /**
     * The queue on the path as TCP times it: its smoothed round trip beyond the least it has seen, both timed to the
     * microsecond from each acknowledgement. -1 where either is unknown, or where the peer is nearer than
     * {@value Epoll#NEAR_MICROS} µs: a relay or proxy beside the server acknowledges for the player, and the queue
     * beyond it is not in TCP's round trips.
     *
     * <p>It includes what a frame's own packets wait behind each other at the narrowest link (half a frame's
     * time there, on average, when the path is nearly full) and the player's delayed acknowledgements: bench
     * network's step read 23 to 28 ms of it at 1.4 Mbit/s on a 1.5 Mbit/s path, 7 to 9 ms at 2.5 on 6.
     */
    static long queueMicros(long roundTripMicros, long leastRoundTripMicros) {
        if (roundTripMicros <= 0 || leastRoundTripMicros < Epoll.NEAR_MICROS) {
            return -1;
        }
        return Math.max(0, roundTripMicros - leastRoundTripMicros);
    }

    private static final class Epoll {
        // struct tcp_info (linux/tcp.h): fields are only ever appended, so these offsets hold on every kernel
        // that has them.
        private static final int RTT_MICROS = 68;
        private static final int WINDOW_PACKETS = 80; // tcpi_snd_cwnd
        private static final int FLAGS = 7; // tcpi_delivery_rate_app_limited is its lowest bit (since Linux 4.9)
        private static final int BYTES_ACKED = 120; // since Linux 4.1
        private static final int MIN_RTT_MICROS = 148; // since Linux 4.6
        private static final int DELIVERY_RATE = 160; // bytes a second, since Linux 4.9
        static final long NEAR_MICROS = 1000;
        private static final RawUnixChannelOption TCP_INFO =
                new RawUnixChannelOption("TCP_INFO", 6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, DELIVERY_RATE + 8);

        static Reading read(Channel channel) {
            try {
                // Netty hands back the whole buffer asked for, whatever the kernel filled: an older kernel's zeros
                ByteBuffer info = ((EpollSocketChannel) channel).config().getOption(TCP_INFO);
                if (info == null) {
                    return Reading.UNKNOWN;
                }
                info.order(ByteOrder.nativeOrder());
                long rtt = Integer.toUnsignedLong(info.getInt(RTT_MICROS));
                long acked = info.getLong(BYTES_ACKED);
                long rate = info.getLong(DELIVERY_RATE);
                boolean appLimited = (info.get(FLAGS) & 1) != 0;
                long leastRtt = Integer.toUnsignedLong(info.getInt(MIN_RTT_MICROS));
                boolean near = leastRtt < NEAR_MICROS;
                long window = Integer.toUnsignedLong(info.getInt(WINDOW_PACKETS));
                // 0 bytes acknowledged is also what a kernel too old to count them says: unknown until it counts
                return new Reading(rtt == 0 ? -1 : rtt, acked <= 0 ? -1 : acked,
                        pathRate(rate, appLimited || near, window), window, queueMicros(rtt, leastRtt),
                        leastRtt > 0 && near);
            } catch (RuntimeException e) {
                return Reading.UNKNOWN; // closed meanwhile
            }
        }
    }
}
