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

    /** A reading; -1 where not known. */
    record Reading(long roundTripMicros, long bytesAcknowledged) {
        static final Reading UNKNOWN = new Reading(-1, -1);
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

    private static final class Epoll {
        // struct tcp_info (linux/tcp.h): fields are only ever appended, so these offsets hold on every kernel
        // that has them.
        private static final int RTT_MICROS = 68;
        private static final int BYTES_ACKED = 120; // since Linux 4.1
        private static final RawUnixChannelOption TCP_INFO =
                new RawUnixChannelOption("TCP_INFO", 6 /* IPPROTO_TCP */, 11 /* TCP_INFO */, BYTES_ACKED + 8);

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
                // 0 bytes acknowledged is also what a kernel too old to count them says: unknown until it counts
                return new Reading(rtt == 0 ? -1 : rtt, acked <= 0 ? -1 : acked);
            } catch (RuntimeException e) {
                return Reading.UNKNOWN; // closed meanwhile
            }
        }
    }
}
