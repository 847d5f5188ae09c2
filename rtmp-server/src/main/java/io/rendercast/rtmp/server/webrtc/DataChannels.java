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
 * <p>A page may also open an unordered channel for input that wants no answer, and send each text on it twice or
 * more, a moment apart: over a lossy path one copy that is lost costs nothing, where on a reliable channel it would cost the
 * browser's retransmission timeout (hundreds of milliseconds). Each such text ends with the number of its copy
 * ({@code ,"copy":n}, rising), and a number taken before on that channel, or older than the
 * {@value ReplayWindow#WINDOW} before its highest, is dropped: the copy that was lost comes at last, after its
 * retransmission timeout, and is not acted on twice.
 */
final class DataChannels implements SctpAssociation.Peer {

    private static final System.Logger LOG = System.getLogger(DataChannels.class.getName());
    static final int MOST_WAITING = 32;
    /** How a text on an unordered channel ends: its copy's number, as JSON.stringify writes the page's object. */
    private static final java.util.regex.Pattern COPY = java.util.regex.Pattern.compile(",\"copy\":(\\d{1,15})}$");
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
    /** Each unordered channel's copy numbers taken, by its stream. */
    private final java.util.Map<Integer, ReplayWindow> unorderedStreams = new java.util.HashMap<>();
    /** Where SCTP packets go: over DTLS, once it is done. */
    private final Consumer<byte[]> packets;
    private DTLSTransport transport;
    private int stream = -1;

    /** @param texts told each text message the page sends, in order; on the thread that {@link #receive}s */
    DataChannels(int sctpPort, Consumer<String> texts) {
        this(sctpPort, texts, null);
    }

    /** With SCTP's packets going to {@code packets} instead of over DTLS: for a test. */
    DataChannels(int sctpPort, Consumer<String> texts, Consumer<byte[]> packets) {
        this.sctp = new SctpAssociation(this, sctpPort, sctpPort);
        this.texts = texts;
        this.packets = packets != null ? packets : this::sendOverDtls;
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
        packets.accept(packet);
    }

    private void sendOverDtls(byte[] packet) {
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
                    sctp.send(channelStream, DCEP, new byte[] {ACK});
                    if (unordered) {
                        unorderedStreams.put(channelStream, new ReplayWindow());
                        return; // answers wait for an ordered channel
                    }
                    stream = channelStream;
                    while (!waiting.isEmpty()) {
                        sendText(waiting.pollFirst());
                    }
                }
            }
            case STRING -> {
                String text = new String(message, StandardCharsets.UTF_8);
                ReplayWindow copies = unorderedStreams.get(channelStream);
                java.util.regex.Matcher copy = copies == null ? null : COPY.matcher(text);
                if (copy != null && copy.find() && !copies.take(Long.parseLong(copy.group(1)))) {
                    return; // the other copy came first
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
}
