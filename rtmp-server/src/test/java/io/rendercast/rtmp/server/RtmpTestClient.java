package io.rendercast.rtmp.server;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A blocking RTMP client for tests. Its chunk reading and writing and its AMF0 ({@link TestAmf0}) are its own,
 * written from the spec, and share no code with the server: a bug in the server's codec cannot cancel out here.
 * It writes every message as a format 0 chunk and 128-byte continuations, and reads whatever the server sends.
 *
 * <p>A reader thread decodes everything the server sends: video messages are recorded as {@link VideoFrame}s,
 * pings are answered, everything else is queued for {@link #next}/{@link #expectCommand}.
 */
final class RtmpTestClient implements AutoCloseable {

    /** A video message as received. */
    record VideoFrame(int streamId, int timestamp, boolean keyFrame, int size, long receivedNanos, byte firstByte) {
    }

    /** A message as received: header fields and the payload. */
    record Message(int chunkStreamId, int typeId, int streamId, int timestamp, byte[] payload) {
    }

    private static final int WRITE_CHUNK_SIZE = 128;
    private static final int HANDSHAKE_SIZE = 1536;

    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final BlockingQueue<Message> received = new LinkedBlockingQueue<>();
    private final List<VideoFrame> video = Collections.synchronizedList(new ArrayList<>());
    private final Thread reader;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();
    private volatile boolean readingPaused;
    private volatile CountDownLatch resume = new CountDownLatch(0);
    private volatile boolean closed;
    private volatile boolean serverClosed;
    private volatile boolean answerPings = true;
    private double nextTransaction = 1;

    private RtmpTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(new BufferedInputStream(new CountingInput(socket.getInputStream()), 16384));
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
        return new RtmpTestClient(socket);
    }

    private void handshake() throws IOException {
        byte[] c0c1 = new byte[1 + HANDSHAKE_SIZE];
        c0c1[0] = 3;
        new Random(1).nextBytes(c0c1);
        c0c1[0] = 3;
        Arrays.fill(c0c1, 1, 9, (byte) 0); // time and zero: a simple handshake
        write(c0c1);
        byte[] s0s1s2 = in.readNBytes(1 + 2 * HANDSHAKE_SIZE);
        if (s0s1s2.length < 1 + 2 * HANDSHAKE_SIZE || s0s1s2[0] != 3) {
            throw new IOException("the server's handshake was not S0 S1 S2 of version 3");
        }
        write(Arrays.copyOfRange(s0s1s2, 1, 1 + HANDSHAKE_SIZE)); // C2 echoes S1
    }

    private void readLoop() {
        Map<Integer, ChunkStream> streams = new HashMap<>();
        int chunkSize = 128;
        try {
            while (!closed) {
                if (readingPaused) {
                    resume.await();
                    continue;
                }
                int first = in.readUnsignedByte();
                int format = first >>> 6;
                int csid = first & 0x3F;
                if (csid == 0) {
                    csid = 64 + in.readUnsignedByte();
                } else if (csid == 1) {
                    csid = 64 + in.readUnsignedByte() + 256 * in.readUnsignedByte();
                }
                ChunkStream stream = streams.computeIfAbsent(csid, k -> new ChunkStream());
                long timestampField = stream.timestampField;
                if (format <= 2) {
                    timestampField = readUnsigned24();
                }
                if (format <= 1) {
                    stream.length = (int) readUnsigned24();
                    stream.typeId = in.readUnsignedByte();
                }
                if (format == 0) {
                    stream.streamId = Integer.reverseBytes(in.readInt());
                }
                if (timestampField == 0xFFFFFF || (format == 3 && stream.extended)) {
                    timestampField = in.readInt() & 0xFFFFFFFFL;
                }
                if (format <= 2) {
                    stream.extended = timestampField >= 0xFFFFFF;
                    stream.timestampField = timestampField;
                }
                if (stream.partial == null) {
                    // A new message: format 0 carries its time, the others a delta from the last one.
                    stream.timestamp = format == 0 ? timestampField : stream.timestamp + timestampField;
                    stream.partial = new byte[stream.length];
                    stream.filled = 0;
                }
                int part = Math.min(chunkSize, stream.length - stream.filled);
                in.readFully(stream.partial, stream.filled, part);
                stream.filled += part;
                if (stream.filled == stream.length) {
                    Message message = new Message(csid, stream.typeId, stream.streamId, (int) stream.timestamp,
                            stream.partial);
                    stream.partial = null;
                    if (message.typeId() == 1) {
                        chunkSize = readInt(message.payload(), 0) & 0x7FFFFFFF;
                    }
                    deliver(message);
                }
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the socket closed, or the test closed the client
        } finally {
            serverClosed = true;
        }
    }

    private void deliver(Message message) throws IOException {
        byte[] p = message.payload();
        if (message.typeId() == 4 && p.length >= 6 && p[0] == 0 && p[1] == 6) {
            if (answerPings) {
                sendRaw(2, 4, 0, new byte[] {0, 7, p[2], p[3], p[4], p[5]});
            }
        } else if (message.typeId() == 9) {
            byte head = p.length > 0 ? p[0] : 0;
            video.add(new VideoFrame(message.streamId(), message.timestamp(), (head & 0xF0) == 0x10, p.length,
                    System.nanoTime(), head));
        } else {
            received.add(message);
        }
    }

    private static final class ChunkStream {
        int length;
        int typeId;
        int streamId;
        long timestampField;
        long timestamp;
        boolean extended;
        byte[] partial;
        int filled;
    }

    private long readUnsigned24() throws IOException {
        return (long) in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
    }

    static int readInt(byte[] bytes, int at) {
        return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8 | (bytes[at + 3] & 0xFF);
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
    void answer(TestCommand call, boolean success, Object value) throws IOException {
        sendRaw(3, 20, 0, TestAmf0.encode(success ? "_result" : "_error", call.transactionId(), null, value));
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

    /** Sends one message: a format 0 chunk, then format 3 continuations of 128 bytes. */
    synchronized void sendRaw(int chunkStreamId, int typeId, int streamId, byte[] payload) throws IOException {
        java.io.ByteArrayOutputStream chunks = new java.io.ByteArrayOutputStream();
        chunks.write(chunkStreamId); // ids below 64 only
        chunks.write(0);
        chunks.write(0);
        chunks.write(0); // timestamp 0
        chunks.write(payload.length >>> 16);
        chunks.write(payload.length >>> 8);
        chunks.write(payload.length);
        chunks.write(typeId);
        chunks.write(streamId);
        chunks.write(streamId >>> 8);
        chunks.write(streamId >>> 16);
        chunks.write(streamId >>> 24);
        for (int offset = 0; offset < payload.length || offset == 0; offset += WRITE_CHUNK_SIZE) {
            if (offset > 0) {
                chunks.write(0xC0 | chunkStreamId);
            }
            chunks.write(payload, offset, Math.min(WRITE_CHUNK_SIZE, payload.length - offset));
            if (payload.length == 0) {
                break;
            }
        }
        write(chunks.toByteArray());
    }

    /** Sends raw bytes, bypassing chunking (for protocol-error tests). */
    synchronized void sendBytes(byte[] bytes) throws IOException {
        write(bytes);
    }

    private void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesWritten.addAndGet(bytes.length);
    }

    /** Sends an AMF0 command and returns its transaction id. */
    double command(int messageStreamId, String name, boolean expectAnswer, Object commandObject, Object... args)
            throws IOException {
        double transaction = expectAnswer ? nextTransaction++ : 0;
        List<Object> values = new ArrayList<>(List.of(name, transaction));
        values.add(commandObject);
        values.addAll(Arrays.asList(args));
        sendRaw(messageStreamId == 0 ? 3 : 8, 20, messageStreamId, TestAmf0.encode(values.toArray()));
        return transaction;
    }

    /** Connects to an app and returns the server's answer ({@code _result} or {@code _error}). */
    TestCommand connect(String app) throws IOException {
        double id = command(0, "connect", true, Map.of("app", app, "tcUrl", "rtmp://localhost/" + app,
                "flashVer", "LNX 9,0,124,2", "objectEncoding", 0.0));
        return expectAnswer(id);
    }

    /** Creates a stream and returns its id. */
    int createStream() throws IOException {
        TestCommand answer = expectAnswer(command(0, "createStream", true, null));
        if (!answer.name().equals("_result")) {
            throw new IOException("createStream failed: " + answer);
        }
        return ((Double) answer.argument(0)).intValue();
    }

    void play(int streamId, String name) throws IOException {
        command(streamId, "play", false, null, name);
    }

    /** The next {@code _result} or {@code _error} for a transaction. */
    TestCommand expectAnswer(double transaction) {
        return expectCommand(c -> (c.name().equals("_result") || c.name().equals("_error"))
                && c.transactionId() == transaction, Duration.ofSeconds(10));
    }

    /** The next {@code onStatus} whose code is {@code code}. */
    Map<?, ?> expectStatus(String code) {
        TestCommand status = expectCommand(c -> c.name().equals("onStatus")
                && code.equals(((Map<?, ?>) c.argument(0)).get("code")), Duration.ofSeconds(10));
        return (Map<?, ?>) status.argument(0);
    }

    /** Skips messages until a command matches; fails after the timeout. */
    TestCommand expectCommand(Predicate<TestCommand> wanted, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> seen = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            Message message = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message == null) {
                break;
            }
            if (message.typeId() == 20) {
                TestCommand command = TestCommand.of(TestAmf0.decode(message.payload()));
                if (wanted.test(command)) {
                    return command;
                }
                seen.add(command.toString());
            } else {
                seen.add("type " + message.typeId());
            }
        }
        throw new AssertionError("no matching command within " + timeout + "; saw " + seen);
    }

    /** The next data message (type 18) named {@code name}, as its AMF0 values. */
    List<Object> expectData(String name) {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Message message = next(Duration.ofNanos(deadline - System.nanoTime()));
            if (message == null) {
                break;
            }
            if (message.typeId() == 18) {
                List<Object> values = TestAmf0.decode(message.payload());
                if (name.equals(values.getFirst())) {
                    return values;
                }
            }
        }
        throw new AssertionError("no data message '" + name + "'");
    }

    /** The next non-video message, or null after the timeout. */
    Message next(Duration timeout) {
        try {
            return received.poll(Math.max(0, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every non-video message received so far and not yet taken. */
    List<Message> drain() {
        List<Message> all = new ArrayList<>();
        received.drainTo(all);
        return all;
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
    }

    private final class CountingInput extends java.io.FilterInputStream {
        CountingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                bytesRead.incrementAndGet();
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                bytesRead.addAndGet(n);
            }
            return n;
        }
    }
}
