package io.rendercast.rtmp.server.webrtc;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

/**
 * One WebRTC peer's DTLS, the server's side: the peer's DTLS datagrams, queued by the port's reading thread, go to
 * BouncyCastle's blocking handshake on the session's own thread, one of {@link WebRtcPort#MAX_HANDSHAKES} at once;
 * then application data (the data channels' SCTP) is read the same way until the session ends.
 */
final class DtlsEndpoint {

    /** A peer that has not finished DTLS by then is closed. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(15);
    /** Datagrams of DTLS waiting for the session's thread; a peer that floods them loses the surplus. */
    private static final int QUEUE = 64;

    /** Sends a datagram to the peer. */
    @FunctionalInterface
    interface Peer {
        void send(byte[] buf, int off, int len) throws IOException;
    }

    private final DtlsSrtpServer server;
    private final Semaphore handshakes;
    private final Peer peer;
    private final BooleanSupplier closed;
    private final BlockingDeque<byte[]> in = new LinkedBlockingDeque<>(QUEUE);
    private volatile DTLSTransport transport;

    /** @param closed whether the session ended: waiting stops then */
    DtlsEndpoint(DtlsSrtpServer server, Semaphore handshakes, Peer peer, BooleanSupplier closed) {
        this.server = server;
        this.handshakes = handshakes;
        this.peer = peer;
        this.closed = closed;
    }

    /** A DTLS datagram from the peer; on the port's reading thread. */
    void received(byte[] datagram) {
        in.offer(datagram);
    }

    /**
     * The handshake, on the session's thread: what it agreed, or an IOException saying why there is none (none in
     * time, too many at once, no SRTP profile in common, a bad certificate). A permit is taken once the peer's first
     * DTLS datagram comes, not while its offer waits for the stream: pending offers that never connect hold none.
     */
    DtlsSrtpServer.Agreed handshake() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + HANDSHAKE_TIMEOUT.toNanos();
        byte[] first = null;
        while (first == null && !closed.getAsBoolean() && System.nanoTime() < deadline) {
            first = in.pollFirst(250, TimeUnit.MILLISECONDS);
        }
        if (first == null) {
            throw new IOException(closed.getAsBoolean() ? "closed" : "no DTLS from the peer within "
                    + HANDSHAKE_TIMEOUT.toSeconds() + " s");
        }
        in.offerFirst(first);
        if (!handshakes.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            throw new IOException("too many WebRTC handshakes at once");
        }
        try {
            DTLSServerProtocol protocol = new DTLSServerProtocol();
            // No HelloVerifyRequest: the peer proved its address with an authenticated STUN check first.
            protocol.setVerifyRequests(false);
            transport = protocol.accept(server, new Datagrams(deadline));
        } finally {
            handshakes.release();
        }
        DtlsSrtpServer.Agreed agreed = server.agreed().getNow(null);
        if (agreed == null) {
            throw new IOException("the peer's DTLS agreed no SRTP profile");
        }
        return agreed;
    }

    /** The transport once the handshake is done; else null. */
    DTLSTransport transport() {
        return transport;
    }

    /**
     * Application data after the handshake: its length, or -1 when none came within {@code waitMillis}.
     *
     * @throws IOException when DTLS ended (the peer's close, an alert, the session closed)
     */
    int receive(byte[] buf, int waitMillis) throws IOException {
        return transport.receive(buf, 0, buf.length, waitMillis);
    }

    /** The largest datagram of application data. */
    int receiveLimit() throws IOException {
        return transport.getReceiveLimit();
    }

    void close() {
        DTLSTransport done = transport;
        if (done != null) {
            try {
                done.close();
            } catch (IOException e) {
                // the peer is gone already
            }
        }
    }

    /** DTLS's view of the port: the peer's DTLS datagrams in, records out to the peer. */
    private final class Datagrams implements DatagramTransport {
        private final long deadline;

        Datagrams(long deadline) {
            this.deadline = deadline;
        }

        @Override
        public int getReceiveLimit() {
            return 2048;
        }

        @Override
        public int getSendLimit() {
            return 1200; // handshake messages are cut to what fits a path's MTU
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            if (closed.getAsBoolean()) {
                throw new IOException("the session closed");
            }
            if (transport == null && System.nanoTime() > deadline) {
                throw new IOException("no DTLS handshake within " + HANDSHAKE_TIMEOUT.toSeconds() + " s");
            }
            try {
                byte[] datagram = in.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (datagram == null) {
                    return -1;
                }
                int n = Math.min(len, datagram.length);
                System.arraycopy(datagram, 0, buf, off, n);
                return n;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        @Override
        public void send(byte[] buf, int off, int len) throws IOException {
            peer.send(buf, off, len);
        }

        @Override
        public void close() {
        }
    }
}
