package io.rendercast.rtmp.server.webrtc;

import static io.rendercast.rtmp.server.webrtc.SctpPackets.chunk;
import static io.rendercast.rtmp.server.webrtc.SctpPackets.packet;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The server's SCTP end against a peer written out here chunk by chunk, as RFC 9260 lays them out: the peer's
 * INIT is answered with a cookie, its COOKIE ECHO establishes the association, its DATA is delivered whole and in
 * order, and what it should not send is refused.
 */
class SctpAssociationTest {

    private static final int PEER_TAG = 0x1234_5678;
    private static final long PEER_TSN = 0xFFFF_FFFEL; // wraps within the test

    private final List<byte[]> sent = new ArrayList<>();
    private final List<String> received = new ArrayList<>();
    private final SctpAssociation sctp = new SctpAssociation(new SctpAssociation.Peer() {
        @Override
        public void send(byte[] packet) {
            sent.add(packet);
        }

        @Override
        public void received(int stream, int ppid, byte[] message) {
            received.add(stream + "/" + ppid + ":" + new String(message));
        }
    }, 5000, 5000);
    private int localTag;

    private static byte[] data(long tsn, int flags, String text) {
        byte[] bytes = text.getBytes();
        return chunk(0, flags, ByteBuffer.allocate(12 + bytes.length).putInt((int) tsn).putShort((short) 1)
                .putShort((short) 0).putInt(51).put(bytes).array());
    }

    private void receive(byte[] packet) {
        sctp.receive(packet, packet.length);
    }

    private void establish() {
        receive(SctpPackets.init(PEER_TAG, PEER_TSN));
        ByteBuffer initAck = ByteBuffer.wrap(sent.getLast());
        assertEquals(PEER_TAG, initAck.getInt(4), "the INIT ACK carries the peer's tag");
        assertEquals(2, initAck.get(12), "an INIT ACK");
        localTag = SctpPackets.tagOf(sent.getLast());
        receive(SctpPackets.cookieEcho(sent.getLast()));
        assertEquals(11, sent.getLast()[12], "a COOKIE ACK");
        assertTrue(sctp.established());
    }

    private long cumulativeAck() {
        ByteBuffer sack = ByteBuffer.wrap(sent.getLast());
        assertEquals(3, sack.get(12), "a SACK");
        return sack.getInt(16) & 0xFFFF_FFFFL;
    }

    @Test
    void deliversMessagesWholeAndInOrderAcrossTheTsnWrap() {
        establish();
        receive(packet(localTag, data(PEER_TSN, 3, "one")));
        assertEquals(PEER_TSN, cumulativeAck());
        // The second message in two fragments, the last of them first: held until the first comes.
        receive(packet(localTag, data(0, 1, "-half")));
        assertEquals(PEER_TSN, cumulativeAck(), "a gap: the cumulative ack stays");
        receive(packet(localTag, data(PEER_TSN + 1, 2, "first")));
        assertEquals(0, cumulativeAck(), "through the wrap");
        receive(packet(localTag, data(0, 1, "-half"))); // a duplicate: acknowledged again, not delivered
        assertEquals(List.of("1/51:one", "1/51:first-half"), received);
    }

    /** An unordered message is not held behind a lost chunk before it, nor delivered again once that comes. */
    @Test
    void anUnorderedMessageIsDeliveredOnArrival() {
        establish();
        receive(packet(localTag, data(PEER_TSN + 1, 4 | 3, "unordered")));
        assertEquals(List.of("1/51:unordered"), received, "delivered though the chunk before it is missing");
        assertEquals((PEER_TSN - 1) & 0xFFFF_FFFFL, cumulativeAck(), "and not acknowledged past the gap");
        receive(packet(localTag, data(PEER_TSN, 3, "ordered")));
        assertEquals(PEER_TSN + 1, cumulativeAck());
        receive(packet(localTag, data(PEER_TSN + 1, 4 | 3, "unordered"))); // resent: acknowledged, not delivered
        assertEquals(List.of("1/51:unordered", "1/51:ordered"), received);
    }

    /** The last SACK's gap ack blocks, as "start-end" offsets from its cumulative TSN. */
    private List<String> gapBlocks() {
        ByteBuffer sack = ByteBuffer.wrap(sent.getLast());
        assertEquals(3, sack.get(12), "a SACK");
        List<String> blocks = new ArrayList<>();
        int count = sack.getShort(24) & 0xFFFF;
        assertEquals(0, sack.getShort(26), "no duplicate TSNs");
        assertEquals(16 + 4 * count, sack.getShort(14) & 0xFFFF, "the SACK's length holds its blocks");
        for (int i = 0; i < count; i++) {
            blocks.add((sack.getShort(28 + 4 * i) & 0xFFFF) + "-" + (sack.getShort(30 + 4 * i) & 0xFFFF));
        }
        return blocks;
    }

    /**
     * What arrived past a lost chunk is reported in gap ack blocks, in serial order across the TSN wrap, so that
     * the peer resends the lost one after three SACKs (fast retransmit) rather than its retransmission timeout.
     */
    @Test
    void reportsWhatArrivedPastALostChunkInGapBlocks() {
        establish();
        receive(packet(localTag, data(PEER_TSN + 2, 4 | 3, "a"))); // PEER_TSN and PEER_TSN + 1 lost
        assertEquals((PEER_TSN - 1) & 0xFFFF_FFFFL, cumulativeAck());
        assertEquals(List.of("3-3"), gapBlocks());
        receive(packet(localTag, data(PEER_TSN + 3, 4 | 3, "b"))); // past the wrap: TSN 1
        receive(packet(localTag, data(PEER_TSN + 6, 4 | 3, "c")));
        assertEquals(List.of("3-4", "7-7"), gapBlocks(), "TSN 0xFFFFFFFF... then 1, then 4: two blocks");
        receive(packet(localTag, data(PEER_TSN, 3, "resent")));
        assertEquals(PEER_TSN, cumulativeAck());
        assertEquals(List.of("2-3", "6-6"), gapBlocks(), "offsets from the new cumulative TSN");
        receive(packet(localTag, data(PEER_TSN + 1, 3, "resent too")));
        assertEquals((PEER_TSN + 3) & 0xFFFF_FFFFL, cumulativeAck());
        assertEquals(List.of("3-3"), gapBlocks());
        assertEquals(List.of("1/51:a", "1/51:b", "1/51:c", "1/51:resent", "1/51:resent too"), received);
    }

    /** However many gaps a peer makes, a SACK reports 32 blocks at most, the lowest. */
    @Test
    void reportsAtMostThirtyTwoGapBlocks() {
        establish();
        for (int i = 0; i < 100; i++) {
            receive(packet(localTag, data(PEER_TSN + 2 + 2L * i, 4 | 3, "m" + i)));
        }
        List<String> blocks = gapBlocks();
        assertEquals(32, blocks.size());
        assertEquals("3-3", blocks.getFirst());
        assertEquals("65-65", blocks.getLast());
    }

    @Test
    void sendsInChunksThatFitAPacketAndForgetsThemOnceAcknowledged() {
        establish();
        sent.clear();
        sctp.send(2, 51, "x".repeat(2500).getBytes());
        assertEquals(3, sent.size(), "2500 bytes in three chunks");
        ByteBuffer first = ByteBuffer.wrap(sent.getFirst());
        assertEquals(PEER_TAG, first.getInt(4));
        assertEquals(2, first.get(13), "the first carries B");
        assertEquals(1, ByteBuffer.wrap(sent.getLast()).get(13), "the last carries E");
        long lastTsn = ByteBuffer.wrap(sent.getLast()).getInt(16) & 0xFFFF_FFFFL;
        sctp.resendDue(System.nanoTime() + 2_000_000_000L);
        assertEquals(6, sent.size(), "unacknowledged after a second: sent again");
        receive(packet(localTag, chunk(3, 0, ByteBuffer.allocate(12).putInt((int) lastTsn).putInt(1 << 20)
                .putInt(0).array())));
        sctp.resendDue(System.nanoTime() + 4_000_000_000L);
        assertEquals(6, sent.size(), "acknowledged: nothing more to send");
    }

    @Test
    void refusesWhatAPeerShouldNotSend() {
        byte[] init = packet(0, chunk(1, 0, ByteBuffer.allocate(16).putInt(PEER_TAG).putInt(1 << 20)
                .putShort((short) 16).putShort((short) 16).putInt(1).array()));
        byte[] corrupted = init.clone();
        corrupted[20] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> receive(corrupted), "a checksum that does not match");
        assertThrows(IllegalArgumentException.class, () -> receive(new byte[8]), "shorter than the header");
        assertThrows(IllegalArgumentException.class, () -> receive(packet(0, data(1, 3, "early"))),
                "DATA before the association, or with tag 0");
        establish();
        assertThrows(IllegalArgumentException.class, () -> receive(packet(localTag + 1, data(PEER_TSN, 3, "x"))),
                "another association's tag");
        assertThrows(IllegalArgumentException.class, () -> receive(packet(localTag, chunk(10, 0, new byte[32]))),
                "a cookie this side did not give");
        assertThrows(IllegalArgumentException.class, () -> receive(packet(localTag, data(PEER_TSN + 5, 3, ""))),
                "DATA with no user data");
        assertThrows(IllegalArgumentException.class, () -> receive(packet(localTag, chunk(0, 3, ByteBuffer
                .allocate(13).putInt((int) PEER_TSN).putShort((short) 5000).putShort((short) 0).putInt(51).put((byte) 1)
                .array()))), "a stream beyond those the INIT ACK gave");
        // A peer that sends ever more fragments of one message, never its end: refused at the bound.
        IllegalArgumentException tooMuch = assertThrows(IllegalArgumentException.class, () -> {
            String kilobyte = "y".repeat(1024);
            for (long tsn = PEER_TSN; ; tsn++) {
                receive(packet(localTag, data(tsn, tsn == PEER_TSN ? 2 : 0, kilobyte)));
            }
        });
        assertTrue(tooMuch.getMessage().contains(String.valueOf(SctpAssociation.MOST_HELD)), tooMuch.getMessage());
        assertArrayEquals(new String[0], received.toArray(new String[0]));
    }
}
