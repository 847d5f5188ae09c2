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

    /** Runs {@code action} in the namespace {@code name}; the thread is back in its own when it returns. */
    public static <T> T call(String name, Callable<T> action) throws Exception {
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
                LibC.INSTANCE.setns(own, CLONE_NEWNET);
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
