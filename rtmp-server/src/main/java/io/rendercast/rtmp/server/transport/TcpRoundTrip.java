package io.rendercast.rtmp.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;

/**
 * TCP's smoothed round trip of a channel, where the platform reports it: epoll's {@code TCP_INFO}, read at most
 * every {@value #EVERY_MILLIS} ms (a system call that a frame thread need not pay each frame). The epoll classes
 * are reached only for an epoll channel, since their module may be missing ({@code requires static}).
 */
final class TcpRoundTrip {

    private static final String EPOLL_CHANNEL = "io.netty.channel.epoll.EpollSocketChannel";
    private static final long EVERY_MILLIS = 250;

    private final Channel channel;
    private final boolean reported;
    private long readNanos;
    private long micros;

    TcpRoundTrip(Channel channel) {
        this.channel = channel;
        this.reported = channel.getClass().getName().equals(EPOLL_CHANNEL);
    }

    /** Microseconds, or 0 when not known; {@code now} is {@link System#nanoTime()}. One thread at a time. */
    long micros(long now) {
        if (reported && now - readNanos > EVERY_MILLIS * 1_000_000 && channel.isActive()) {
            readNanos = now;
            micros = Epoll.micros(channel);
        }
        return micros;
    }

    private static final class Epoll {
        static long micros(Channel channel) {
            try {
                return ((EpollSocketChannel) channel).tcpInfo().rtt();
            } catch (RuntimeException e) {
                return 0; // closed meanwhile
            }
        }
    }
}
