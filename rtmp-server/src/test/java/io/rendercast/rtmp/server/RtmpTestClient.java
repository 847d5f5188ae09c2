package io.rendercast.rtmp.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rendercast.rtmp.server.amf.Amf0Reader;
import io.rendercast.rtmp.server.chunk.ChunkDecoder;
import io.rendercast.rtmp.server.chunk.ChunkEncoder;
import io.rendercast.rtmp.server.chunk.RawMessage;
import io.rendercast.rtmp.server.handshake.Handshake;
import io.rendercast.rtmp.server.message.Command;
import io.rendercast.rtmp.server.message.MessageType;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A blocking RTMP client for tests, built on the project's own chunk codec and AMF0 (through EmbeddedChannels),
 * so that it shares no state with the server under test.
 *
 * <p>A reader thread decodes everything the server sends: video messages are recorded as {@link VideoFrame}s
 * (their buffers released at once), everything else is queued for {@link #next}/{@link #expectCommand}.
 */
final class RtmpTestClient implements AutoCloseable {

    /** A video message as received. */
    record VideoFrame(int streamId, int timestamp, boolean keyFrame, int size, long receivedNanos, byte firstByte) {
    }

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder());
    private final EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder());
    private final BlockingQueue<RawMessage> received = new LinkedBlockingQueue<>();
    private final List<VideoFrame> video = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private volatile boolean readingPaused;
    private volatile CountDownLatch resume = new CountDownLatch(0);
    private volatile boolean closed;
    private volatile boolean serverClosed;
    private volatile boolean answerPings = true;
    private final java.util.concurrent.atomic.AtomicLong bytesRead = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong bytesWritten = new java.util.concurrent.atomic.AtomicLong();
    private double nextTransaction = 1;

    private RtmpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
        handshake();
        reader = new Thread(this::readLoop, "rtmp-test-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    static RtmpTestClient open(InetSocketAddress address) throws IOException {
        return open(address, 0);
    }

    /** Opens a client; a receive buffer size above 0 makes the socket's buffer small, for slow-reader tests. */
    static RtmpTestClient open(InetSocketAddress address, int receiveBufferSize) throws IOException {
        Socket socket = new Socket();
        if (receiveBufferSize > 0) {
            socket.setReceiveBufferSize(receiveBufferSize);
        }
        socket.connect(address, 5000);
        socket.setSoTimeout(0);
        return new RtmpTestClient(socket);
    }

    private void handshake() throws IOException {
        ByteBuf c0c1 = Unpooled.buffer();
        c0c1.writeByte(Handshake.VERSION);
        Handshake.writeRandomPacket(c0c1, 0);
        out.write(c0c1.array(), c0c1.arrayOffset(), c0c1.readableBytes());
        c0c1.release();
        byte[] s0s1s2 = new byte[1 + 2 * Handshake.PACKET_SIZE];
        new DataInputStream(in).readFully(s0s1s2);
        if (s0s1s2[0] != Handshake.VERSION) {
            throw new IOException("server answered version " + s0s1s2[0]);
        }
        out.write(s0s1s2, 1, Handshake.PACKET_SIZE); // C2 echoes S1
        out.flush();
        bytesWritten.addAndGet(1 + 2 * Handshake.PACKET_SIZE);
        bytesRead.addAndGet(s0s1s2.length);
    }

    private void readLoop() {
        byte[] buffer = new byte[16384];
        try {
            while (!closed) {
                if (readingPaused) {
                    resume.await();
                    continue;
                }
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                bytesRead.addAndGet(n);
                decoder.writeInbound(Unpooled.copiedBuffer(buffer, 0, n));
                RawMessage message;
                while ((message = decoder.readInbound()) != null) {
                    if (answerPings && isPingRequest(message)) {
                        ByteBuf echo = Unpooled.buffer(6).writeShort(7).writeInt(message.payload().getInt(2));
                        message.release();
                        send(new RawMessage(2, MessageType.USER_CONTROL.id(), 0, 0, echo));
                    } else if (message.typeId() == MessageType.VIDEO.id()) {
                        ByteBuf p = message.payload();
                        byte first = p.isReadable() ? p.getByte(p.readerIndex()) : 0;
                        video.add(new VideoFrame(message.messageStreamId(), message.timestamp(),
                                (first & 0xF0) == 0x10, p.readableBytes(), System.nanoTime(), first));
                        message.release();
                    } else {
                        received.add(message);
                    }
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the socket closed, or the test closed the client
        } finally {
            serverClosed = true;
        }
    }

    private static boolean isPingRequest(RawMessage message) {
        return message.typeId() == MessageType.USER_CONTROL.id() && message.payload().readableBytes() >= 6
                && message.payload().getShort(0) == 6;
    }

    /** Whether the client answers the server's pings (it does unless told not to). */
    void answerPings(boolean answer) {
        answerPings = answer;
    }

    long bytesRead() {
        return bytesRead.get();
    }

    long bytesWritten() {
        return bytesWritten.get();
    }

    /** Answers a call from the server with {@code _result} or {@code _error}. */
    void answer(Command call, boolean success, Object value) throws IOException {
        Command answer = new Command(success ? "_result" : "_error", call.transactionId(), null,
                java.util.Collections.singletonList(value));
        send(answer.toMessage(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, 3, 0));
    }

    /** Stops reading from the socket, as a player that stalls. */
    void pauseReading() {
        resume = new CountDownLatch(1);
        readingPaused = true;
    }

    void resumeReading() {
        readingPaused = false;
        resume.countDown();
    }

    boolean serverClosed() {
        return serverClosed;
    }

    List<VideoFrame> video() {
        synchronized (video) {
            return new ArrayList<>(video);
        }
    }

    synchronized void send(RawMessage message) throws IOException {
        encoder.writeOutbound(message);
        ByteBuf bytes;
        while ((bytes = encoder.readOutbound()) != null) {
            byte[] array = new byte[bytes.readableBytes()];
            bytes.readBytes(array);
            bytes.release();
            out.write(array);
            bytesWritten.addAndGet(array.length);
        }
        out.flush();
    }

    /** Sends raw bytes, bypassing the codec (for protocol-error tests). */
    synchronized void sendBytes(byte[] bytes) throws IOException {
        bytesWritten.addAndGet(bytes.length);
        out.write(bytes);
        out.flush();
    }

    /** Sends a command and returns its transaction id. */
    double command(int messageStreamId, String name, boolean expectAnswer, Object commandObject, Object... args)
            throws IOException {
        double transaction = expectAnswer ? nextTransaction++ : 0;
        Command command = new Command(name, transaction, commandObject, java.util.Arrays.asList(args));
        send(command.toMessage(io.netty.buffer.UnpooledByteBufAllocator.DEFAULT, messageStreamId == 0 ? 3 : 8,
                messageStreamId));
        return transaction;
    }

    /** Connects to an app and returns the server's answer ({@code _result} or {@code _error}). */
    Command connect(String app) throws IOException {
        double id = command(0, "connect", true, Map.of("app", app, "tcUrl", "rtmp://localhost/" + app,
                "flashVer", "LNX 9,0,124,2", "objectEncoding", 0.0));
        return expectAnswer(id);
    }

    /** Creates a stream and returns its id. */
    int createStream() throws IOException {
        Command answer = expectAnswer(command(0, "createStream", true, null));
        if (!answer.name().equals("_result")) {
            throw new IOException("createStream failed: " + answer);
        }
        return ((Double) answer.argument(0)).intValue();
    }

    void play(int streamId, String name) throws IOException {
        command(streamId, "play", false, null, name);
    }

    /** The next {@code _result} or {@code _error} for a transaction. */
    Command expectAnswer(double transaction) {
        return expectCommand(c -> (c.name().equals("_result") || c.name().equals("_error"))
                && c.transactionId() == transaction, Duration.ofSeconds(10));
    }

    /** The next {@code onStatus} whose code is {@code code}. */
    Map<?, ?> expectStatus(String code) {
        Command status = expectCommand(c -> c.name().equals("onStatus")
                && code.equals(((Map<?, ?>) c.argument(0)).get("code")), Duration.ofSeconds(10));
        return (Map<?, ?>) status.argument(0);
    }

    /** Skips messages until a command matches; fails after the timeout. */
    Command expectCommand(Predicate<Command> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            RawMessage message = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message == null) {
                break;
            }
            try {
                if (message.typeId() == MessageType.COMMAND_AMF0.id()) {
                    Command command = Command.read(message.payload());
                    if (wanted.test(command)) {
                        return command;
                    }
                    seen.add(command.toString());
                } else {
                    seen.add("type " + message.typeId());
                }
            } finally {
                message.release();
            }
        }
        throw new AssertionError("no matching command within " + timeout + "; saw " + seen);
    }

    /** The next data message (such as onMetaData) as its AMF0 values. */
    List<Object> expectData(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            RawMessage message = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message == null) {
                break;
            }
            try {
                if (message.typeId() == MessageType.DATA_AMF0.id()) {
                    List<Object> values = new Amf0Reader(message.payload()).readAll();
                    if (name.equals(values.getFirst())) {
                        return values;
                    }
                }
            } finally {
                message.release();
            }
        }
        throw new AssertionError("no data message '" + name + "'");
    }

    /** The next non-video message, or null after the timeout. The caller releases it. */
    RawMessage next(Duration timeout) {
        try {
            return received.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        resumeReading();
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        RawMessage message;
        while ((message = received.poll()) != null) {
            message.release();
        }
        decoder.finishAndReleaseAll();
        encoder.finishAndReleaseAll();
    }
}
