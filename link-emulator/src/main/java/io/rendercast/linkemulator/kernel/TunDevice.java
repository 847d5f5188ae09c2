package io.rendercast.linkemulator.kernel;

import com.sun.jna.LastErrorException;
import com.sun.jna.NativeLong;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TUN device: the kernel routes IP packets into it, and this reads them out one at a time and writes packets
 * back in, as if they had come off a wire. It lives while it is open; moved to another network namespace, it keeps
 * working through the same descriptor.
 */
public final class TunDevice implements AutoCloseable {

    private static final int O_RDWR = 2;
    private static final long TUNSETIFF = 0x400454caL; // _IOW('T', 202, int)
    private static final short IFF_TUN = 0x0001;
    private static final short IFF_NO_PI = 0x1000; // bare IP packets, no protocol header before each
    private static final short POLLIN = 0x0001;
    private static final int IFNAMSIZ = 16;
    /**
     * Bigger than the device's MTU (1,500, and no offloads asked for): one read is one packet. Small, since JNA
     * copies the whole array in and out on every call.
     */
    private static final int MAX_PACKET = 2_048;

    private final String name;
    private final int fd;
    private final byte[] buffer = new byte[MAX_PACKET];
    private final byte[] pollFd = new byte[8]; // struct pollfd: int fd, short events, short revents
    private final AtomicBoolean closed = new AtomicBoolean();

    private TunDevice(String name, int fd) {
        this.name = name;
        this.fd = fd;
        ByteBuffer.wrap(pollFd).order(ByteOrder.nativeOrder()).putInt(fd).putShort(POLLIN);
    }

    /** Creates the device {@code name} (at most 15 characters); it is gone when closed. Needs CAP_NET_ADMIN. */
    public static TunDevice create(String name) throws IOException {
        byte[] ifreq = new byte[40];
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        if (bytes.length >= IFNAMSIZ) {
            throw new IllegalArgumentException("an interface name of at most 15 characters, got " + name);
        }
        System.arraycopy(bytes, 0, ifreq, 0, bytes.length);
        ByteBuffer.wrap(ifreq).order(ByteOrder.nativeOrder()).putShort(IFNAMSIZ, (short) (IFF_TUN | IFF_NO_PI));
        int fd;
        try {
            fd = LibC.INSTANCE.open("/dev/net/tun", O_RDWR);
        } catch (LastErrorException e) {
            throw new IOException("cannot open /dev/net/tun: " + why(e.getErrorCode()), e);
        }
        try {
            LibC.INSTANCE.ioctl(fd, new NativeLong(TUNSETIFF), ifreq);
        } catch (LastErrorException e) {
            LibC.INSTANCE.close(fd);
            throw new IOException("cannot create TUN device " + name + ": " + why(e.getErrorCode()), e);
        }
        return new TunDevice(name, fd);
    }

    private static String why(int errno) {
        return switch (errno) {
            case 1, 13 -> "not allowed (errno " + errno + "): a TUN device needs root (CAP_NET_ADMIN)";
            case 2, 6, 19 -> "no such device (errno " + errno + "): this kernel or container has no TUN";
            case 16 -> "the name is taken (errno 16, EBUSY)";
            default -> "errno " + errno;
        };
    }

    public String name() {
        return name;
    }

    /** The next packet the kernel routed into the device, or null if none came within {@code timeoutMillis}. */
    public byte[] read(int timeoutMillis) throws IOException {
        try {
            if (closed.get() || LibC.INSTANCE.poll(pollFd, new NativeLong(1), timeoutMillis) == 0 || closed.get()) {
                return null;
            }
            int n = LibC.INSTANCE.read(fd, buffer, new NativeLong(buffer.length)).intValue();
            return Arrays.copyOf(buffer, n);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == 4 || e.getErrorCode() == 11) { // EINTR, EAGAIN: nothing this time
                return null;
            }
            throw new IOException("reading " + name + ": errno " + e.getErrorCode(), e);
        }
    }

    /** Hands {@code packet} to the kernel as if it had arrived on this device. */
    public void write(byte[] packet) throws IOException {
        try {
            LibC.INSTANCE.write(fd, packet, new NativeLong(packet.length));
        } catch (LastErrorException e) {
            // EIO while the device is down or going away; anything else the kernel refused is the caller's to know
            if (!closed.get()) {
                throw new IOException("writing to " + name + ": errno " + e.getErrorCode(), e);
            }
        }
    }

    /** Closes the descriptor: only once no thread reads or writes it any more, or its number may be reused. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            LibC.INSTANCE.close(fd);
        }
    }
}
