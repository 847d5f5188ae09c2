package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * The server's end of one SCTP association over DTLS (RFC 8261), as WebRTC's data channels use it: the peer
 * initiates (INIT, COOKIE ECHO), and messages go both ways on reliable streams, ordered, or unordered from the peer
 * (a whole unordered message is delivered as it arrives). Only what a data channel
 * needs is here: no multi-homing, no partial reliability, no stream reconfiguration (a closed channel's streams
 * are left as they are); received chunks are acknowledged by their cumulative TSN and gap ack blocks (no duplicate
 * TSNs are reported). Written here because Java has no SCTP over DTLS, and Debian's libusrsctp would mean a native
 * library and its threads per association for a few messages a second.
 *
 * <p>Everything a peer can make it hold is bounded: chunks waiting for an earlier one and messages being
 * reassembled, on all streams together ({@link #MOST_HELD} bytes; no empty chunks, {@link #STREAMS} streams), and
 * chunks sent but not acknowledged ({@link #MOST_UNACKNOWLEDGED}).
 * Not thread-safe: its session calls it under one lock.
 */
final class SctpAssociation {

    /** Where packets go and messages arrive. */
    interface Peer {
        /** Sends one SCTP packet over DTLS. */
        void send(byte[] packet);

        /** A whole message arrived on {@code stream}, with its payload protocol identifier. */
        void received(int stream, int ppid, byte[] message);
    }

    static final int MOST_HELD = 256 * 1024;
    static final int MOST_UNACKNOWLEDGED = 256 * 1024;
    /** The most user data in one DATA chunk: a packet stays within what fits a path's MTU after DTLS. */
    private static final int MOST_CHUNK_DATA = 1100;
    private static final long RESEND_AFTER_NANOS = 1_000_000_000L;
    /** Gap ack blocks a SACK reports at most, the lowest first; its offsets are 16 bits. */
    private static final int MOST_GAP_BLOCKS = 32;
    private static final int MOST_GAP_OFFSET = 0xFFFF;
    /** Streams each way, as the INIT ACK says: a data channel per stream, far more than a page opens. */
    static final int STREAMS = 1024;

    private static final int DATA = 0;
    private static final int INIT = 1;
    private static final int INIT_ACK = 2;
    private static final int SACK = 3;
    private static final int HEARTBEAT = 4;
    private static final int HEARTBEAT_ACK = 5;
    private static final int ABORT = 6;
    private static final int SHUTDOWN = 7;
    private static final int SHUTDOWN_ACK = 8;
    private static final int COOKIE_ECHO = 10;
    private static final int COOKIE_ACK = 11;
    private static final int SHUTDOWN_COMPLETE = 14;
    private static final int STATE_COOKIE = 7;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A DATA chunk sent and not yet acknowledged. */
    private record Sent(long tsn, byte[] chunk, long sentNanos) {
    }

    /**
     * A DATA chunk received ahead of one before it; {@code delivered}: an unordered whole message, given to the
     * peer on arrival and kept only until the cumulative TSN passes it (its bytes count as held until then).
     */
    private record Held(int flags, int stream, int ppid, byte[] data, boolean delivered) {
    }

    /** DATA's U flag: the message may be delivered out of order (an unordered channel's). */
    private static final int UNORDERED = 4;
    private static final int WHOLE = 3;

    private final Peer peer;
    private final int localPort;
    private final int remotePort;
    private final int localTag = RANDOM.nextInt(1, Integer.MAX_VALUE);
    private final byte[] cookie = new byte[32];
    private final TreeMap<Long, Held> held = new TreeMap<>();
    private final Map<Integer, java.io.ByteArrayOutputStream> partial = new HashMap<>();
    private final Map<Integer, Integer> nextSsn = new HashMap<>();
    private final ArrayDeque<Sent> unacknowledged = new ArrayDeque<>();
    private int heldBytes;
    /** Bytes of messages begun and not ended, on every stream together: bounded with what is held. */
    private int partialBytes;
    private int unacknowledgedBytes;
    private int peerTag;
    private long peerCumulativeTsn = -1;
    private long nextTsn = RANDOM.nextInt() & 0xFFFF_FFFFL;
    private boolean established;
    private boolean closed;

    SctpAssociation(Peer peer, int localPort, int remotePort) {
        this.peer = peer;
        this.localPort = localPort;
        this.remotePort = remotePort;
        RANDOM.nextBytes(cookie);
    }

    boolean established() {
        return established && !closed;
    }

    boolean closed() {
        return closed;
    }

    /**
     * Takes one SCTP packet from the peer.
     *
     * @throws IllegalArgumentException for a packet that is malformed, fails its checksum or is not for this
     *                                  association, and for more than the association holds
     */
    void receive(byte[] packet, int length) {
        if (length < 12 || length > packet.length) {
            throw new IllegalArgumentException("an SCTP packet has a 12-byte header, got " + length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(packet, 0, length);
        int stored = Integer.reverseBytes(in.getInt(8));
        if (stored != checksum(packet, length)) {
            throw new IllegalArgumentException("an SCTP packet whose CRC32c does not match");
        }
        int tag = in.getInt(4);
        boolean data = false;
        in.position(12);
        while (in.remaining() >= 4 && !closed) {
            int at = in.position();
            int type = in.get() & 0xFF;
            int flags = in.get() & 0xFF;
            int chunkLength = in.getShort() & 0xFFFF;
            if (chunkLength < 4 || chunkLength > length - at) {
                throw new IllegalArgumentException("an SCTP chunk of " + chunkLength + " bytes where "
                        + (length - at) + " are left");
            }
            if (type == INIT ? tag != 0 : tag != localTag) {
                throw new IllegalArgumentException("an SCTP packet with verification tag " + tag + " where "
                        + (type == INIT ? 0 : localTag) + " is this association's");
            }
            ByteBuffer value = ByteBuffer.wrap(packet, at + 4, chunkLength - 4).slice();
            switch (type) {
                case INIT -> init(value);
                case COOKIE_ECHO -> cookieEcho(value);
                case DATA -> {
                    data(flags, value);
                    data = true;
                }
                case SACK -> sack(value);
                case HEARTBEAT -> send(chunk(HEARTBEAT_ACK, 0, bytes(value)));
                case ABORT, SHUTDOWN_COMPLETE -> closed = true;
                case SHUTDOWN -> {
                    send(chunk(SHUTDOWN_ACK, 0, new byte[0]));
                }
                default -> {
                    // Unknown or unused (RE-CONFIG, FORWARD TSN): the peer's channels go on without them.
                }
            }
            in.position(Math.min(length, at + ((chunkLength + 3) & ~3)));
        }
        if (data && !closed) {
            send(sack());
        }
    }

    private void init(ByteBuffer value) {
        if (value.remaining() < 16) {
            throw new IllegalArgumentException("an SCTP INIT of " + value.remaining() + " bytes");
        }
        int initiateTag = value.getInt();
        value.getInt(); // the peer's receive window: this side never has much in flight
        value.getShort(); // its outbound streams
        int inbound = value.getShort() & 0xFFFF;
        long initialTsn = value.getInt() & 0xFFFF_FFFFL;
        if (initiateTag == 0 || inbound == 0) {
            throw new IllegalArgumentException("an SCTP INIT with tag 0 or no inbound streams");
        }
        peerTag = initiateTag;
        peerCumulativeTsn = (initialTsn - 1) & 0xFFFF_FFFFL;
        ByteBuffer ack = ByteBuffer.allocate(16 + 4 + cookie.length);
        ack.putInt(localTag).putInt(MOST_HELD).putShort((short) Math.min(inbound, STREAMS)).putShort((short) STREAMS)
                .putInt((int) nextTsn);
        ack.putShort((short) STATE_COOKIE).putShort((short) (4 + cookie.length)).put(cookie);
        send(chunk(INIT_ACK, 0, ack.array()));
    }

    private void cookieEcho(ByteBuffer value) {
        if (!java.security.MessageDigest.isEqual(bytes(value), cookie) || peerCumulativeTsn < 0) {
            throw new IllegalArgumentException("an SCTP COOKIE ECHO with a cookie this side did not give");
        }
        established = true;
        send(chunk(COOKIE_ACK, 0, new byte[0]));
    }

    private void data(int flags, ByteBuffer value) {
        if (!established || value.remaining() < 12) {
            throw new IllegalArgumentException("SCTP DATA before the association, or shorter than its header");
        }
        long tsn = value.getInt() & 0xFFFF_FFFFL;
        int stream = value.getShort() & 0xFFFF;
        value.getShort(); // the stream sequence number: chunks are taken in TSN order, which keeps it
        int ppid = value.getInt();
        byte[] data = bytes(value);
        if (data.length == 0) {
            throw new IllegalArgumentException("SCTP DATA with no user data (RFC 9260 6.2)");
        }
        if (stream >= STREAMS) {
            throw new IllegalArgumentException("SCTP DATA on stream " + stream + "; this side took " + STREAMS);
        }
        if (!after(tsn, peerCumulativeTsn) || held.containsKey(tsn)) {
            return; // a duplicate: the SACK that follows says so again
        }
        if (heldBytes + partialBytes + data.length > MOST_HELD) {
            throw new IllegalArgumentException("more than " + MOST_HELD + " bytes of SCTP data held for messages");
        }
        // An unordered whole message waits for no chunk before it: a page's input on an unordered channel is not
        // held for a lost one before it, which the peer resends only after its retransmission timeout.
        boolean atOnce = (flags & UNORDERED) != 0 && (flags & WHOLE) == WHOLE;
        held.put(tsn, new Held(flags, stream, ppid, data, atOnce));
        heldBytes += data.length;
        if (atOnce) {
            peer.received(stream, ppid, data);
        }
        for (Held next; (next = held.remove((peerCumulativeTsn + 1) & 0xFFFF_FFFFL)) != null; ) {
            peerCumulativeTsn = (peerCumulativeTsn + 1) & 0xFFFF_FFFFL;
            heldBytes -= next.data().length;
            if (!next.delivered()) {
                deliver(next);
            }
        }
    }

    /** Reassembles a message from its fragments (B and E flags), in TSN order. */
    private void deliver(Held chunk) {
        boolean beginning = (chunk.flags() & 2) != 0;
        boolean end = (chunk.flags() & 1) != 0;
        if (beginning && end) {
            peer.received(chunk.stream(), chunk.ppid(), chunk.data());
            return;
        }
        java.io.ByteArrayOutputStream message = beginning ? new java.io.ByteArrayOutputStream() : partial.get(
                chunk.stream());
        if (message == null) {
            return; // a fragment whose beginning never came
        }
        if (partialBytes + chunk.data().length > MOST_HELD) {
            throw new IllegalArgumentException("SCTP messages of more than " + MOST_HELD + " bytes in all");
        }
        message.writeBytes(chunk.data());
        partialBytes += chunk.data().length;
        if (end) {
            partial.remove(chunk.stream());
            partialBytes -= message.size();
            peer.received(chunk.stream(), chunk.ppid(), message.toByteArray());
        } else {
            java.io.ByteArrayOutputStream replaced = partial.put(chunk.stream(), message);
            if (replaced != null && replaced != message) {
                partialBytes -= replaced.size(); // a message whose end never came, begun again
            }
        }
    }

    private void sack(ByteBuffer value) {
        if (value.remaining() < 12) {
            throw new IllegalArgumentException("an SCTP SACK shorter than its header");
        }
        long cumulative = value.getInt() & 0xFFFF_FFFFL;
        while (!unacknowledged.isEmpty() && !after(unacknowledged.peekFirst().tsn(), cumulative)) {
            unacknowledgedBytes -= unacknowledged.pollFirst().chunk().length;
        }
    }

    /**
     * Sends {@code message} on {@code stream}, ordered and reliable, cut into chunks that fit a packet.
     *
     * @throws IllegalStateException when the peer has left more than {@link #MOST_UNACKNOWLEDGED} bytes
     *                               unacknowledged, or before the association is established
     */
    void send(int stream, int ppid, byte[] message) {
        if (!established()) {
            throw new IllegalStateException("no SCTP association to send on");
        }
        if (unacknowledgedBytes + message.length > MOST_UNACKNOWLEDGED) {
            throw new IllegalStateException("the peer acknowledges no more of what it was sent ("
                    + unacknowledgedBytes + " bytes)");
        }
        int ssn = nextSsn.merge(stream, 1, Integer::sum) - 1;
        int at = 0;
        do {
            int length = Math.min(MOST_CHUNK_DATA, message.length - at);
            int flags = (at == 0 ? 2 : 0) | (at + length == message.length ? 1 : 0);
            ByteBuffer value = ByteBuffer.allocate(12 + length);
            value.putInt((int) nextTsn).putShort((short) stream).putShort((short) ssn).putInt(ppid)
                    .put(message, at, length);
            byte[] chunk = chunk(DATA, flags, value.array());
            unacknowledged.addLast(new Sent(nextTsn, chunk, System.nanoTime()));
            unacknowledgedBytes += chunk.length;
            nextTsn = (nextTsn + 1) & 0xFFFF_FFFFL;
            send(chunk);
            at += length;
        } while (at < message.length);
    }

    /** Sends again what has waited over a second for its acknowledgement; the session calls this now and then. */
    void resendDue(long nowNanos) {
        Sent oldest = unacknowledged.peekFirst();
        if (closed || oldest == null || nowNanos - oldest.sentNanos() < RESEND_AFTER_NANOS) {
            return;
        }
        int count = unacknowledged.size();
        for (int i = 0; i < count; i++) {
            Sent sent = unacknowledged.pollFirst();
            send(sent.chunk());
            unacknowledged.addLast(new Sent(sent.tsn(), sent.chunk(), nowNanos));
        }
    }

    /**
     * The cumulative TSN and, in gap ack blocks, the chunks held beyond it (RFC 9260 3.3.4): a peer learns of a lost
     * chunk from the chunks after it that arrived, and resends it after three such SACKs (fast retransmit) instead
     * of its retransmission timeout, which Chromium keeps at 400 ms or more (a round trip and four times a variance
     * it holds at 220 ms at least): at an 80 ms round trip an input whose copies were both lost came 440 to 450 ms
     * after it was sent.
     */
    private byte[] sack() {
        ByteBuffer blocks = ByteBuffer.allocate(4 * MOST_GAP_BLOCKS);
        int blockCount = 0;
        long lastEnd = -1;
        // Every held TSN comes after the cumulative one, so this is their serial order, across the wrap too.
        Iterable<Long> inOrder = () -> java.util.stream.Stream.concat(
                held.tailMap(peerCumulativeTsn, false).keySet().stream(),
                held.headMap(peerCumulativeTsn, false).keySet().stream()).iterator();
        for (long tsn : inOrder) {
            long offset = (tsn - peerCumulativeTsn) & 0xFFFF_FFFFL;
            if (offset > MOST_GAP_OFFSET) {
                break;
            }
            if (offset == lastEnd + 1 && blockCount > 0) {
                blocks.putShort(4 * blockCount - 2, (short) offset); // the last block reaches one further
            } else if (blockCount < MOST_GAP_BLOCKS) {
                blocks.putShort(4 * blockCount, (short) offset).putShort(4 * blockCount + 2, (short) offset);
                blockCount++;
            } else {
                break;
            }
            lastEnd = offset;
        }
        ByteBuffer value = ByteBuffer.allocate(12 + 4 * blockCount);
        value.putInt((int) peerCumulativeTsn).putInt(Math.max(0, MOST_HELD - heldBytes)).putShort((short) blockCount)
                .putShort((short) 0).put(blocks.array(), 0, 4 * blockCount);
        return chunk(SACK, 0, value.array());
    }

    private static byte[] chunk(int type, int flags, byte[] value) {
        ByteBuffer chunk = ByteBuffer.allocate((4 + value.length + 3) & ~3);
        chunk.put((byte) type).put((byte) flags).putShort((short) (4 + value.length)).put(value);
        return chunk.array();
    }

    /** Sends one chunk in a packet of its own, with this association's header and checksum. */
    private void send(byte[] chunk) {
        byte[] packet = new byte[12 + chunk.length];
        ByteBuffer.wrap(packet).putShort((short) localPort).putShort((short) remotePort).putInt(peerTag);
        System.arraycopy(chunk, 0, packet, 12, chunk.length);
        ByteBuffer.wrap(packet).putInt(8, Integer.reverseBytes(checksum(packet, packet.length)));
        peer.send(packet);
    }

    /** CRC32c over the packet with its checksum field as zeros (RFC 9260 appendix A), as SCTP stores it. */
    private static int checksum(byte[] packet, int length) {
        CRC32C crc = new CRC32C();
        crc.update(packet, 0, 8);
        crc.update(new byte[4]);
        crc.update(packet, 12, length - 12);
        return (int) crc.getValue();
    }

    private static byte[] bytes(ByteBuffer value) {
        byte[] bytes = new byte[value.remaining()];
        value.get(bytes);
        return bytes;
    }

    /** Whether TSN {@code a} comes after {@code b}, in serial number arithmetic (RFC 1982). */
    private static boolean after(long a, long b) {
        long difference = (a - b) & 0xFFFF_FFFFL;
        return difference != 0 && difference < 0x8000_0000L;
    }
}
