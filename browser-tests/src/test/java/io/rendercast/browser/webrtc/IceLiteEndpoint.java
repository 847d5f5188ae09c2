package io.rendercast.browser.webrtc;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.tls.DTLSServerProtocol;
import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramTransport;

/**
 * One WebRTC peer's media path on one UDP socket, as an ICE-lite server has it (RFC 8445 2.5): it gathers one
 * host candidate, answers the browser's connectivity checks, and takes the address of the first authentic one for
 * its peer; then it is the DTLS server on the same socket, telling STUN from DTLS by the first byte (RFC 7983).
 *
 * <p>For the checks that the browser completes a DTLS 1.2 handshake with BouncyCastle's DTLS, and decodes H.264
 * sent over SRTP on the same port; no RTCP, no retransmission yet.
 */
public final class IceLiteEndpoint implements AutoCloseable {

    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    /** Datagrams of DTLS waiting for the handshake's thread; a peer that floods them loses the surplus. */
    private static final int DTLS_QUEUE = 64;

    private final DatagramSocket socket;
    private final String ufrag = random(8);
    private final String password = random(24);
    private final DtlsSrtpServer.Identity identity = DtlsSrtpServer.Identity.create();
    private final BlockingQueue<byte[]> dtlsIn = new LinkedBlockingQueue<>(DTLS_QUEUE);
    private final AtomicLong refusedChecks = new AtomicLong();
    private final AtomicLong largestDtlsDatagram = new AtomicLong();
    private final Thread reader;
    private volatile InetSocketAddress peer;
    private volatile DtlsSrtpServer dtls;
    private volatile DTLSTransport transport;
    private volatile SdpOffer offer;
    private volatile boolean closed;

    private IceLiteEndpoint(DatagramSocket socket) {
        this.socket = socket;
        this.reader = Thread.ofPlatform().daemon().name("ice-lite-" + socket.getLocalPort()).start(this::read);
    }

    /** An endpoint on a free UDP port of {@code address}. */
    public static IceLiteEndpoint open(InetAddress address) throws SocketException {
        return new IceLiteEndpoint(new DatagramSocket(new InetSocketAddress(address, 0)));
    }

    /**
     * The SDP answer to the browser's {@code offer}, and the start of the DTLS server that waits for the browser's
     * handshake. The offer's first video section is answered, send-only, with H.264 at the payload type the offer
     * gave for packetization mode 1 in Constrained Baseline.
     */
    public String answer(String offer) {
        SdpOffer parsed = SdpOffer.parse(offer);
        this.offer = parsed;
        DtlsSrtpServer server = new DtlsSrtpServer(identity, parsed.fingerprint());
        dtls = server;
        Thread.ofPlatform().daemon().name("dtls-" + socket.getLocalPort()).start(() -> handshake(server));
        String host = socket.getLocalAddress().getHostAddress();
        int port = socket.getLocalPort();
        String pt = String.valueOf(parsed.h264PayloadType());
        return String.join("\r\n", List.of(
                "v=0",
                "o=rendercast 1 1 IN IP4 " + host,
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + parsed.mid(),
                "a=ice-lite",
                "m=video " + port + " UDP/TLS/RTP/SAVPF " + pt,
                "c=IN IP4 " + host,
                "a=mid:" + parsed.mid(),
                "a=sendonly",
                "a=rtcp-mux",
                "a=ice-ufrag:" + ufrag,
                "a=ice-pwd:" + password,
                "a=fingerprint:sha-256 " + identity.fingerprint(),
                "a=setup:passive",
                "a=rtpmap:" + pt + " H264/90000",
                "a=fmtp:" + pt + " " + parsed.h264Fmtp(),
                "a=ssrc:1 cname:rendercast",
                "a=candidate:1 1 udp 2130706431 " + host + " " + port + " typ host",
                "a=end-of-candidates")) + "\r\n";
    }

    /** What the handshake agreed, once done. */
    public CompletableFuture<DtlsSrtpServer.Agreed> agreed() {
        DtlsSrtpServer server = dtls;
        if (server == null) {
            throw new IllegalStateException("no answer made yet");
        }
        return server.agreed();
    }

    /** The payload type the answer gave H.264: the offer's. */
    public int h264PayloadType() {
        return offer.h264PayloadType();
    }

    /** Sends a protected RTP packet to the peer, once it is known. */
    public void sendMedia(byte[] packet) throws IOException {
        sendToPeer(packet, 0, packet.length);
    }

    private void sendToPeer(byte[] buf, int off, int len) throws IOException {
        InetSocketAddress to = peer;
        if (to != null) {
            socket.send(new DatagramPacket(buf, off, len, to));
        }
    }

    /** The largest DTLS datagram the peer sent so far, in bytes. */
    public long largestDtlsDatagram() {
        return largestDtlsDatagram.get();
    }

    /** Connectivity checks refused (bad credentials, malformed). */
    public long refusedChecks() {
        return refusedChecks.get();
    }

    private void handshake(DtlsSrtpServer server) {
        DTLSServerProtocol protocol = new DTLSServerProtocol();
        // No HelloVerifyRequest: the peer proved its address with an authenticated STUN check first.
        protocol.setVerifyRequests(false);
        try {
            transport = protocol.accept(server, new Datagrams());
        } catch (IOException | RuntimeException e) {
            server.agreed().completeExceptionally(e);
        }
    }

    private void read() {
        byte[] buffer = new byte[2048];
        DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
        while (!closed) {
            try {
                packet.setLength(buffer.length);
                socket.receive(packet);
            } catch (IOException e) {
                return; // closed
            }
            int first = packet.getLength() == 0 ? -1 : buffer[0] & 0xFF;
            InetSocketAddress from = (InetSocketAddress) packet.getSocketAddress();
            if (StunMessage.isStun(first)) {
                check(buffer, packet.getLength(), from);
            } else if (first >= 20 && first <= 63 && from.equals(peer)) {
                largestDtlsDatagram.accumulateAndGet(packet.getLength(), Math::max);
                dtlsIn.offer(Arrays.copyOf(buffer, packet.getLength()));
            }
        }
    }

    /** A connectivity check: answered if authentic and meant for this agent; its source becomes the peer. */
    private void check(byte[] datagram, int length, InetSocketAddress from) {
        StunMessage request;
        try {
            request = StunMessage.readRequest(datagram, length, password);
        } catch (IllegalArgumentException e) {
            refusedChecks.incrementAndGet();
            return;
        }
        if (request.type() != StunMessage.BINDING_REQUEST || request.username() == null
                || !request.username().startsWith(ufrag + ":")) {
            refusedChecks.incrementAndGet();
            return;
        }
        if (peer == null || request.useCandidate()) {
            peer = from;
        }
        byte[] response = request.successResponse(from, password);
        try {
            socket.send(new DatagramPacket(response, response.length, from));
        } catch (IOException e) {
            // closed meanwhile
        }
    }

    private static String random(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }

    /** DTLS's view of the socket: the peer's DTLS datagrams in, records out to the peer. */
    private final class Datagrams implements DatagramTransport {

        @Override
        public int getReceiveLimit() {
            return 2048;
        }

        @Override
        public int getSendLimit() {
            return 1200; // what fits a path's MTU with room for IP and UDP: handshake messages are cut to it
        }

        @Override
        public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
            try {
                byte[] datagram = dtlsIn.poll(waitMillis, TimeUnit.MILLISECONDS);
                if (datagram == null) {
                    if (closed) {
                        throw new IOException("closed");
                    }
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
            sendToPeer(buf, off, len);
        }

        @Override
        public void close() {
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        DTLSTransport done = transport;
        if (done != null) {
            done.close();
        }
        socket.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
