package io.rendercast.benchmarks;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Many RTMP clients in one process with one thread, so that they cost the machine little next to the server
 * they load: each does the handshake and {@code connect} with blocking I/O, then, with {@code play}, plays a
 * stream; after that one selector reads and discards what every socket receives (pings stay unanswered, which
 * a server allows for its ping timeout). Written apart from the server's codec ({@link ClientCommands}).
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
            out.write(ClientCommands.connectAndPlay("live", play ? "load" + i : null));
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
}
