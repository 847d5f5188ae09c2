package io.rendercast.linkemulator.kernel;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * Runs code on the calling thread inside a named network namespace ({@code ip netns add}): sockets it creates
 * there stay there, and so do the connections they accept, after the thread has come back.
 */
public final class NetworkNamespace {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    private NetworkNamespace() {
    }

    /**
     * Runs {@code action} in the namespace {@code name}; the thread is back in its own when it returns. Threads
     * started meanwhile (a server's event loops) are in the namespace for good, and so are the sockets they open
     * later. On a platform thread only: a virtual thread may move between carriers while it waits, and would
     * leave another in the namespace.
     */
    public static <T> T call(String name, Callable<T> action) throws Exception {
        if (Thread.currentThread().isVirtual()) {
            throw new IllegalStateException("a network namespace is entered by a platform thread, not a virtual one");
        }
        int own = open("/proc/thread-self/ns/net");
        try {
            int target = open("/var/run/netns/" + name);
            try {
                LibC.INSTANCE.setns(target, CLONE_NEWNET);
            } catch (LastErrorException e) {
                throw new IOException("cannot enter network namespace " + name + " (errno " + e.getErrorCode()
                        + "): it needs root (CAP_SYS_ADMIN)", e);
            } finally {
                LibC.INSTANCE.close(target);
            }
            try {
                return action.call();
            } finally {
                try {
                    LibC.INSTANCE.setns(own, CLONE_NEWNET);
                } catch (LastErrorException e) {
                    // this thread would go on in the wrong namespace, making every socket there: nothing can go on
                    throw new IllegalStateException("cannot leave network namespace " + name + " (errno "
                            + e.getErrorCode() + ")", e);
                }
            }
        } finally {
            LibC.INSTANCE.close(own);
        }
    }

    private static int open(String path) throws IOException {
        try {
            return LibC.INSTANCE.open(path, O_RDONLY);
        } catch (LastErrorException e) {
            throw new IOException("cannot open " + path + " (errno " + e.getErrorCode() + ")", e);
        }
    }
}
