package io.rendercast.rtmp.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The network transport: Linux's epoll through Netty's native transport where it loads (it spends less CPU per
 * byte sent than NIO: see {@code ./rendercast bench fanout}), NIO elsewhere. The system property
 * {@code rendercast.transport} ({@code epoll} or {@code nio}) picks one by hand, as the benchmarks do to compare.
 *
 * <p>The module reads epoll's modules only if they are there ({@code requires static}): on the module path an
 * application adds them ({@code --add-modules io.netty.transport.classes.epoll,io.netty.transport.epoll.linux.x86_64},
 * as {@code ./rendercast demo} does), and where they are absent no epoll class is touched.
 */
record Transport(String name, IoHandlerFactory ioHandlers, Class<? extends ServerSocketChannel> serverChannel,
                 Class<? extends SocketChannel> clientChannel) {

    static final String PROPERTY = "rendercast.transport";
    /**
     * Bytes the kernel may hold for a connection that it has not sent yet. Without a limit Linux grows a socket's
     * send buffer to megabytes, and a player that stops reading would take a hundred seconds of a low bit rate
     * stream before the server saw it behind, rendering and encoding for it all the while. With it the unsent
     * bytes wait in Netty's buffer, where the write-buffer marks see them; what is in flight is not limited, so
     * a fast player on a long path loses nothing. Only epoll can set it.
     */
    static final long UNSENT_BYTES_IN_KERNEL = 32 << 10;

    /** Sets what this transport can on each accepted connection. */
    void configure(ServerBootstrap bootstrap) {
        if (name.equals("epoll")) {
            bootstrap.childOption(EpollChannelOption.TCP_NOTSENT_LOWAT, UNSENT_BYTES_IN_KERNEL);
        }
    }

    /** Whether Netty's epoll classes can be reached: a {@code requires static} module may be missing at run time. */
    private static boolean epollPresent() {
        try {
            Class.forName("io.netty.channel.epoll.Epoll", false, Transport.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    static Transport choose() {
        String wanted = System.getProperty(PROPERTY, "auto");
        boolean epoll = switch (wanted) {
            case "epoll" -> {
                if (!epollPresent()) {
                    throw new IllegalStateException(PROPERTY + "=epoll, but Netty's epoll modules are not on the "
                            + "module path, or not read: add them with --add-modules");
                }
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException(PROPERTY + "=epoll, but epoll cannot load here: "
                            + Epoll.unavailabilityCause());
                }
                yield true;
            }
            case "nio" -> false;
            case "auto" -> epollPresent() && Epoll.isAvailable();
            default -> throw new IllegalArgumentException(PROPERTY + " takes epoll, nio or auto, got " + wanted);
        };
        return epoll
                ? new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                        EpollSocketChannel.class)
                : new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class, NioSocketChannel.class);
    }
}
