package io.rendercast.rtmp.server.webrtc;

import io.rendercast.rtmp.server.metrics.ServerMetrics;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's one UDP port for WebRTC, as an ICE-lite agent has it (RFC 8445 2.5): every WHEP session's
 * connectivity checks, DTLS and SRTP arrive here. A STUN request goes to the session its USERNAME names; anything
 * else to the session whose peer the checks proved to be at that address (RFC 7983 tells the three apart by the
 * first byte). Datagrams from an address no check proved are dropped unread.
 */
public final class WebRtcPort implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WebRtcPort.class.getName());
    /** DTLS handshakes run at once at most; each holds a thread while it waits on its peer. */
    static final int MAX_HANDSHAKES = 32;

    private final DatagramSocket socket;
    private final DtlsSrtpServer.Identity identity = DtlsSrtpServer.Identity.create();
    private final Map<String, WhepSession> byUfrag = new ConcurrentHashMap<>();
    private final Map<String, WhepSession> byId = new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, WhepSession> byPeer = new ConcurrentHashMap<>();
    private final Semaphore handshakes = new Semaphore(MAX_HANDSHAKES);
    private final AtomicLong refused = new AtomicLong();
    /** What the port's sessions did, counted as they do it: a session that ends leaves its counts. */
    private final java.util.concurrent.atomic.LongAdder retransmitted = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder resentUnasked = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder notResent = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder keyFramesAsked = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder pacerDropped = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder fecSent = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder probesSent = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder rtcpRead = new java.util.concurrent.atomic.LongAdder();
    private final Thread reader;
    private volatile boolean closed;
    private final String candidateHost;

    private WebRtcPort(DatagramSocket socket, String candidateHost) {
        this.socket = socket;
        this.candidateHost = candidateHost;
        this.reader = Thread.ofPlatform().daemon().name("webrtc-port-" + socket.getLocalPort()).start(this::read);
    }

    /**
     * Binds {@code address} (port 0: a free one).
     *
     * @param candidateHost what the answers name as this port's host, or null: where the player reached the HTTP
     *                      port, unless the port is bound to one address
     */
    public static WebRtcPort open(InetSocketAddress address, String candidateHost) throws IOException {
        DatagramSocket socket = new DatagramSocket(null);
        try {
            socket.setReceiveBufferSize(4 << 20);
            socket.setSendBufferSize(4 << 20);
            socket.bind(address);
        } catch (IOException e) {
            socket.close();
            throw new IOException("WebRTC's UDP port " + address + " cannot be bound: " + e.getMessage(), e);
        }
        return new WebRtcPort(socket, candidateHost);
    }

    /**
     * The host the answer's candidate names, for a player that reached the HTTP port at {@code httpLocal}: the one
     * given, else the address the port is bound to, else {@code httpLocal}.
     */
    String candidateHost(InetAddress httpLocal) {
        if (candidateHost != null) {
            return candidateHost;
        }
        InetAddress bound = localAddress().getAddress();
        return (bound.isAnyLocalAddress() ? httpLocal : bound).getHostAddress();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) socket.getLocalSocketAddress();
    }

    DtlsSrtpServer.Identity identity() {
        return identity;
    }

    Semaphore handshakes() {
        return handshakes;
    }

    void add(WhepSession session) {
        byUfrag.put(session.ufrag(), session);
        byId.put(session.id(), session);
    }

    /** The session {@code id} names (a WHEP resource's last path segment), or null. */
    WhepSession session(String id) {
        return byId.get(id);
    }

    void remove(WhepSession session) {
        byUfrag.remove(session.ufrag(), session);
        byId.remove(session.id(), session);
        InetSocketAddress peer = session.peer();
        if (peer != null) {
            byPeer.remove(peer, session);
        }
    }

    /** The checks proved {@code session}'s peer to be at {@code peer}. */
    void bind(WhepSession session, InetSocketAddress previous, InetSocketAddress peer) {
        if (previous != null) {
            byPeer.remove(previous, session);
        }
        byPeer.put(peer, session);
    }

    void send(byte[] datagram, int offset, int length, InetSocketAddress to) throws IOException {
        socket.send(new DatagramPacket(datagram, offset, length, to));
    }

    /** Sessions open now. */
    public int sessions() {
        return byId.size();
    }

    /** Datagrams dropped: checks for no session, or from an address no check proved. */
    public long refusedDatagrams() {
        return refused.get();
    }

    /** The port's counts now, for the server's metrics. */
    public ServerMetrics.WebRtcCounts counts() {
        return new ServerMetrics.WebRtcCounts(byId.size(), MAX_HANDSHAKES - handshakes.availablePermits(),
                refused.get(), retransmitted.sum(), resentUnasked.sum(), notResent.sum(), keyFramesAsked.sum(),
                pacerDropped.sum(), fecSent.sum(), probesSent.sum(), rtcpRead.sum());
    }

    void countRetransmitted(int packets) {
        retransmitted.add(packets);
    }

    void countResentUnasked(int packets) {
        resentUnasked.add(packets);
    }

    void countNotResent(long packets) {
        notResent.add(packets);
    }

    void countKeyFrameAsked() {
        keyFramesAsked.increment();
    }

    void countRtcpRead() {
        rtcpRead.increment();
    }

    void countFecSent(int packets) {
        fecSent.add(packets);
    }

    void countProbeSent() {
        probesSent.increment();
    }

    void countPacerDropped(long packets) {
        pacerDropped.add(packets);
    }

    private void read() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "WebRTC port stopped reading: {0}", e.toString());
                }
                return;
            }
            int length = packet.getLength();
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            try {
                route(buffer, length, from);
            } catch (RuntimeException e) {
                // One peer's bad datagram harms no other: it is counted and dropped.
                refused.incrementAndGet();
                LOG.log(System.Logger.Level.DEBUG, "datagram from {0} dropped: {1}", from, e.toString());
            }
        }
    }

    private void route(byte[] buffer, int length, InetSocketAddress from) {
        int first = length == 0 ? -1 : buffer[0] & 0xFF;
        if (StunMessage.isStun(first)) {
            StunMessage request = StunMessage.readRequest(buffer, length, this::passwordOf);
            WhepSession session = byUfrag.get(ufragOf(request.username()));
            if (session == null || request.type() != StunMessage.BINDING_REQUEST) {
                refused.incrementAndGet();
                return;
            }
            session.checked(request, from);
            return;
        }
        WhepSession session = byPeer.get(from);
        if (session == null) {
            refused.incrementAndGet();
            return;
        }
        session.received(Arrays.copyOf(buffer, length));
    }

    private String passwordOf(String username) {
        WhepSession session = byUfrag.get(ufragOf(username));
        return session == null ? null : session.password();
    }

    private static String ufragOf(String username) {
        int colon = username == null ? -1 : username.indexOf(':');
        return colon < 0 ? "" : username.substring(0, colon);
    }

    @Override
    public void close() {
        closed = true;
        for (WhepSession session : byId.values()) {
            session.close();
        }
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
