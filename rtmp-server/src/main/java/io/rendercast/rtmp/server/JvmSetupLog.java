package io.rendercast.rtmp.server;

import io.netty.util.internal.PlatformDependent;

/**
 * Says once, when the server starts, what the JVM's flags leave out and what that costs, because Netty falls
 * back without a word: without {@code sun.misc.Unsafe} it copies and pools buffers more slowly, and without its
 * epoll modules it runs on NIO, which spends more CPU per byte and cannot bound what
 * the kernel holds for a player that stops reading.
 */
final class JvmSetupLog {

    private static final System.Logger LOG = System.getLogger(JvmSetupLog.class.getName());

    private JvmSetupLog() {
    }

    static void log(Transport transport) {
        if (!PlatformDependent.hasUnsafe()) {
            LOG.log(System.Logger.Level.WARNING, "Netty runs without sun.misc.Unsafe ({0}): buffers are copied and "
                    + "freed more slowly; run the JVM with --sun-misc-unsafe-memory-access=allow",
                    String.valueOf(PlatformDependent.getUnsafeUnavailabilityCause().getMessage()));
        }
        if (transport.name().equals("nio") && !"nio".equals(System.getProperty(Transport.PROPERTY))) {
            LOG.log(System.Logger.Level.WARNING, "the server runs on Java NIO, not epoll: it spends more CPU per "
                    + "byte and a player that stops reading is seen later. On Linux, put Netty''s epoll modules on "
                    + "the module path and read them: --add-modules io.netty.transport.classes.epoll,"
                    + "io.netty.transport.epoll.linux.x86_64");
        }
    }
}
