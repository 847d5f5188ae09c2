package io.rendercast.rtmp.server.webrtc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSTransport;

/**
 * A WHEP viewer's data channels (RFC 8831), over SCTP over its DTLS: the page opens one (the Data Channel
 * Establishment Protocol's OPEN, RFC 8832, answered with an ACK) and sends on it the same JSON text its WebSocket
 * would (docs/protocol.md); the connection's answers, status and metadata go back as text on the ordered channel it
 * opened last. Texts for a channel not yet open wait, {@link #MOST_WAITING} at most (the newest are kept).
 *
 * <p>A page may also open an unordered channel for input that wants no answer, and send each text on it twice, a
 * moment apart: over a lossy path one copy that is lost costs nothing, where on a reliable channel it would cost the
 * browser's retransmission timeout (hundreds of milliseconds). Each such text names its copy ({@code "copy": n}), so
 * that a text seen on an unordered channel among the last {@value #REMEMBERED_COPIES} is dropped as a copy.
 */
final class DataChannels implements SctpAssociation.Peer {

    private static final System.Logger LOG = System.getLogger(DataChannels.class.getName());
    static final int MOST_WAITING = 32;
    static final int REMEMBERED_COPIES = 64;
    /** DCEP's channel types with the unordered bit: reliable, or partly reliable by retransmissions or time. */
    private static final int UNORDERED_CHANNEL = 0x80;
    private static final int DCEP = 50;
    private static final int STRING = 51;
    private static final int BINARY = 53;
    private static final int STRING_EMPTY = 56;
    private static final int BINARY_EMPTY = 57;
    private static final int OPEN = 0x03;
    private static final int ACK = 0x02;

    private final SctpAssociation sctp;
    private final Consumer<String> texts;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private final java.util.Set<Integer> unorderedStreams = new java.util.HashSet<>();
    /** Digests of the last texts taken from unordered channels, oldest first, to drop their copies. */
    private final java.util.LinkedHashSet<String> recentCopies = new java.util.LinkedHashSet<>();
    private DTLSTransport transport;
    private int stream = -1;

    /** @param texts told each text message the page sends, in order; on the thread that {@link #receive}s */
    DataChannels(int sctpPort, Consumer<String> texts) {
        this.sctp = new SctpAssociation(this, sctpPort, sctpPort);
        this.texts = texts;
    }

    /** DTLS is done: packets go over {@code transport} from now on. */
    synchronized void connected(DTLSTransport transport) {
        this.transport = transport;
    }

    /**
     * One SCTP packet the peer sent over DTLS.
     *
     * @throws IllegalArgumentException for a packet or message that is malformed or more than is held
     */
    synchronized void receive(byte[] packet, int length) {
        sctp.receive(packet, length);
    }

    /** Sends what has waited too long for its acknowledgement; called now and then. */
    synchronized void tick(long nowNanos) {
        sctp.resendDue(nowNanos);
    }

    /** Sends {@code text} on the page's channel, or keeps it until the channel opens. */
    synchronized void sendText(String text) {
        if (stream < 0 || !sctp.established()) {
            if (waiting.size() == MOST_WAITING) {
                waiting.pollFirst();
            }
            waiting.addLast(text);
            return;
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        sctp.send(stream, bytes.length == 0 ? STRING_EMPTY : STRING, bytes.length == 0 ? new byte[1] : bytes);
    }

    @Override
    public void send(byte[] packet) {
        DTLSTransport to = transport;
        if (to == null) {
            return;
        }
        try {
            to.send(packet, 0, packet.length);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "an SCTP packet not sent: {0}", e.toString());
        }
    }

    @Override
    public void received(int channelStream, int ppid, byte[] message) {
        switch (ppid) {
            case DCEP -> {
                if (message.length > 0 && (message[0] & 0xFF) == OPEN) {
                    boolean unordered = message.length > 1 && (message[1] & UNORDERED_CHANNEL) != 0;
                    if (unordered) {
                        unorderedStreams.add(channelStream);
                    } else {
                        stream = channelStream;
                    }
                    sctp.send(channelStream, DCEP, new byte[] {ACK});
                    while (!waiting.isEmpty()) {
                        sendText(waiting.pollFirst());
                    }
                }
            }
            case STRING -> {
                String text = new String(message, StandardCharsets.UTF_8);
                if (unorderedStreams.contains(channelStream)) {
                    if (!recentCopies.add(digest(message))) {
                        return; // the other copy came first
                    }
                    if (recentCopies.size() > REMEMBERED_COPIES) {
                        recentCopies.removeFirst();
                    }
                }
                texts.accept(text);
            }
            case STRING_EMPTY, BINARY_EMPTY -> {
            }
            case BINARY -> throw new IllegalArgumentException("the page sends text on its data channel, got "
                    + message.length + " bytes of binary");
            default -> throw new IllegalArgumentException("a data channel message of payload protocol " + ppid);
        }
    }

    /** A text's SHA-256: what is remembered of it, a few bytes however long the text. */
    private static String digest(byte[] message) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(message));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
