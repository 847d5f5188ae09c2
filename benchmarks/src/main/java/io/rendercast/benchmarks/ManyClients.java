package io.rendercast.benchmarks;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Many RTMP clients in one process with one thread, so that they cost the machine little next to the server
 * they load: each does the handshake and {@code connect} with blocking I/O, then, with {@code play}, plays a
 * stream; after that one selector reads and discards what every socket receives (pings stay unanswered, which
 * a server allows for its ping timeout). Written apart from the server's codec: a few AMF0 bytes by hand.
 *
 * <p>{@code ManyClients HOST PORT COUNT idle|play SECONDS}: prints {@code ready} once all are connected.
 */
public final class ManyClients {

    private ManyClients() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        int count = Integer.parseInt(args[2]);
        boolean play = args[3].equals("play");
        long seconds = Long.parseLong(args[4]);
        List<SocketChannel> channels = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
            Socket socket = channel.socket();
            OutputStream out = socket.getOutputStream();
            byte[] c0c1 = new byte[1537];
            c0c1[0] = 3;
            out.write(c0c1);
            new DataInputStream(socket.getInputStream()).readFully(new byte[3073]);
            out.write(new byte[1536]);
            out.write(chunk(3, 20, 0, amf("connect", 1.0), connectObject()));
            if (play) {
                out.write(chunk(3, 20, 0, amf("createStream", 2.0, (Object) null), new byte[0]));
                out.write(chunk(8, 20, 1, amf("play", 0.0, null, "load" + i), new byte[0]));
            }
            out.flush();
            channels.add(channel);
        }
        System.out.println("ready " + count);
        System.out.flush();
        Selector selector = Selector.open();
        for (SocketChannel channel : channels) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ);
        }
        ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            selector.select(200);
            for (SelectionKey key : selector.selectedKeys()) {
                sink.clear();
                if (((SocketChannel) key.channel()).read(sink) < 0) {
                    key.cancel();
                }
            }
            selector.selectedKeys().clear();
        }
        for (SocketChannel channel : channels) {
            channel.close();
        }
    }

    /** One message as a format 0 chunk; the client keeps the default chunk size, so payloads stay under 128. */
    private static byte[] chunk(int csid, int type, int streamId, byte[] amf, byte[] tail) {
        int length = amf.length + tail.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(csid);
        out.write(0);
        out.write(0);
        out.write(0);
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(type);
        out.write(streamId);
        out.write(streamId >>> 8);
        out.write(streamId >>> 16);
        out.write(streamId >>> 24);
        byte[] payload = new byte[length];
        System.arraycopy(amf, 0, payload, 0, amf.length);
        System.arraycopy(tail, 0, payload, amf.length, tail.length);
        for (int offset = 0; offset < length; offset += 128) {
            if (offset > 0) {
                out.write(0xC0 | csid);
            }
            out.write(payload, offset, Math.min(128, length - offset));
        }
        return out.toByteArray();
    }

    /** A command's name, transaction id and values: strings, numbers and null only. */
    private static byte[] amf(String name, double transactionId, Object... rest) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        string(out, name);
        number(out, transactionId);
        for (Object value : rest) {
            if (value == null) {
                out.write(5);
            } else {
                string(out, (String) value);
            }
        }
        return out.toByteArray();
    }

    private static byte[] connectObject() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(3);
        key(out, "app");
        string(out, "live");
        out.write(0);
        out.write(0);
        out.write(9);
        return out.toByteArray();
    }

    private static void key(ByteArrayOutputStream out, String key) {
        byte[] utf8 = key.getBytes(StandardCharsets.UTF_8);
        out.write(utf8.length >>> 8);
        out.write(utf8.length);
        out.writeBytes(utf8);
    }

    private static void string(ByteArrayOutputStream out, String value) {
        out.write(2);
        key(out, value);
    }

    private static void number(ByteArrayOutputStream out, double value) {
        out.write(0);
        long bits = Double.doubleToLongBits(value);
        for (int shift = 56; shift >= 0; shift -= 8) {
            out.write((int) (bits >>> shift));
        }
    }
}
