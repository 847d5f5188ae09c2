package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * FlexFEC as a receiver reads it: the recovery here follows the draft's procedure (draft-ietf-payload-flexible-fec-
 * scheme-03, section 6.3.2: the FEC bit string XORed with each other protected packet's) written from the draft, not
 * from the encoder, and it must rebuild whichever packet of a group is lost, byte for byte.
 */
class FlexFecTest {

    private static final Random RANDOM = new Random(7);
    private static final int MEDIA_SSRC = 0x1234_5678;

    /** RTP packets of consecutive numbers from {@code first}, of differing lengths, some with header extensions. */
    private static List<byte[]> packets(int count, int first) {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            boolean extension = i % 3 != 0;
            byte[] payload = new byte[1 + RANDOM.nextInt(1100)];
            RANDOM.nextBytes(payload);
            ByteBuffer rtp = ByteBuffer.allocate(12 + (extension ? 8 : 0) + payload.length);
            rtp.put((byte) (extension ? 0x90 : 0x80)).put((byte) ((i == count - 1 ? 0x80 : 0) | 102))
                    .putShort((short) (first + i)).putInt(90_000 + (i / 4) * 3000).putInt(MEDIA_SSRC);
            if (extension) {
                rtp.putShort((short) 0xBEDE).putShort((short) 1).put((byte) 0x51).putShort((short) 0).put((byte) 0);
            }
            packets.add(rtp.put(payload).array());
        }
        return packets;
    }

    /** The packets a FlexFEC header's single-stream, short mask names: sequence numbers. */
    private static List<Integer> protectedNumbers(byte[] fec) {
        ByteBuffer header = ByteBuffer.wrap(fec);
        assertEquals(1, fec[8], "one protected stream");
        assertEquals(MEDIA_SSRC, header.getInt(12));
        int mask = header.getShort(18) & 0xFFFF;
        assertEquals(0x8000, mask & 0x8000, "K set: the mask ends after 15 bits");
        List<Integer> numbers = new ArrayList<>();
        for (int bit = 0; bit < 15; bit++) {
            if ((mask & (0x4000 >>> bit)) != 0) {
                numbers.add((header.getShort(16) + bit) & 0xFFFF);
            }
        }
        return numbers;
    }

    /** The lost packet from the FEC packet and every other packet its mask names. */
    private static byte[] recover(byte[] fec, List<byte[]> received, int lostSequence) {
        int payloadStart = 20;
        byte[] bitString = new byte[8 + fec.length - payloadStart];
        System.arraycopy(fec, 0, bitString, 0, 8);
        System.arraycopy(fec, payloadStart, bitString, 8, fec.length - payloadStart);
        for (byte[] packet : received) {
            // A packet's bit string: its first two bytes, its length less 12, its timestamp, then from byte 12 on.
            byte[] bits = new byte[8 + packet.length - 12];
            System.arraycopy(packet, 0, bits, 0, 2);
            ByteBuffer.wrap(bits).putShort(2, (short) (packet.length - 12));
            System.arraycopy(packet, 4, bits, 4, 4);
            System.arraycopy(packet, 12, bits, 8, packet.length - 12);
            for (int b = 0; b < bits.length; b++) {
                bitString[b] ^= bits[b];
            }
        }
        int length = ((bitString[2] & 0xFF) << 8 | (bitString[3] & 0xFF)) + 12;
        ByteBuffer rtp = ByteBuffer.allocate(length);
        rtp.put((byte) (0x80 | (bitString[0] & 0x3F))).put(bitString[1]).putShort((short) lostSequence)
                .put(bitString, 4, 4).putInt(MEDIA_SSRC).put(bitString, 8, length - 12);
        return rtp.array();
    }

    @Test
    void whicheverPacketIsLostTheRestAndTheFecPacketRebuildIt() {
        for (int count : new int[] {1, 2, 7, 15}) {
            List<byte[]> packets = packets(count, 65_530); // the numbers wrap within the group
            byte[] fec = FlexFec.protect(packets, MEDIA_SSRC);
            List<Integer> named = protectedNumbers(fec);
            assertEquals(count, named.size(), "the mask names the " + count + " packets");
            assertEquals(65_530, named.getFirst());
            assertEquals(0, fec[0] & 0xC0, "R and F clear: not a retransmission, a flexible mask");
            for (int lost = 0; lost < count; lost++) {
                List<byte[]> received = new ArrayList<>(packets);
                byte[] original = received.remove(lost);
                assertArrayEquals(original, recover(fec, received, named.get(lost)),
                        "packet " + lost + " of " + count + " rebuilt");
            }
        }
    }

    @Test
    void protectsOneToFifteenPackets() {
        assertThrows(IllegalArgumentException.class, () -> FlexFec.protect(List.of(), MEDIA_SSRC));
        assertThrows(IllegalArgumentException.class, () -> FlexFec.protect(packets(16, 0), MEDIA_SSRC));
    }

    @Test
    void aFrameIsCutIntoAsFewGroupsAsCanBeOfNearEqualSize() {
        assertArrayEquals(new int[] {15}, FlexFec.groupSizes(15, 15));
        assertArrayEquals(new int[] {8, 8}, FlexFec.groupSizes(16, 15));
        assertArrayEquals(new int[] {3}, FlexFec.groupSizes(3, 5));
        assertArrayEquals(new int[] {4, 4, 4}, FlexFec.groupSizes(12, 5));
        assertArrayEquals(new int[] {4, 5, 4, 5}, FlexFec.groupSizes(18, 5));
        assertArrayEquals(new int[0], FlexFec.groupSizes(12, 0), "no FEC");
        assertArrayEquals(new int[0], FlexFec.groupSizes(0, 5), "a frame of no packets");
        for (int packets = 1; packets < 200; packets++) {
            int[] sizes = FlexFec.groupSizes(packets, 15);
            assertEquals(packets, Arrays.stream(sizes).sum());
            assertTrue(Arrays.stream(sizes).allMatch(size -> size >= 1 && size <= 15), packets + " packets");
        }
    }

    @Test
    void fecOnlyOnceThePathLosesSome() {
        assertFalse(FlexFec.protects(0, false));
        assertFalse(FlexFec.protects(0.004, false));
        assertTrue(FlexFec.protects(0.005, false));
        assertTrue(FlexFec.protects(0.004, true), "FEC that goes already goes on at 0.4 %");
        assertFalse(FlexFec.protects(0.002, true), "and stops under 0.25 %");
    }

    @Test
    void moreFecAsThePathLosesMoreAndAsTheFrameIsLarger() {
        assertEquals(1, FlexFec.groupsFor(10, 0.005).length, "half a percent: one FEC packet over a frame of 10");
        assertEquals(2, FlexFec.groupsFor(10, 0.01).length, "1 %: two");
        assertEquals(1, FlexFec.groupsFor(4, 0.01).length, "1 %: one over a frame of 4");
        assertEquals(8, FlexFec.groupsFor(38, 0.01).length, "1 %: eight over a key frame of 38");
        assertArrayEquals(FlexFec.groupSizes(10, FlexFec.FEWEST_PROTECTED), FlexFec.groupsFor(10, 0.05),
                "5 %: the most FEC there is");
    }

    /** Each choice is the least FEC that keeps the frame's chance of waiting on a retransmission in bounds. */
    @Test
    void theGroupsChosenAreTheFewestWhoseChanceOfALossNotMendedIsInBounds() {
        for (int packets = 1; packets <= 60; packets++) {
            for (double loss = 0.0025; loss < 0.1; loss += 0.0025) {
                int[] chosen = FlexFec.groupsFor(packets, loss);
                String what = packets + " packets at " + loss + ": " + Arrays.toString(chosen);
                assertEquals(packets, Arrays.stream(chosen).sum(), what);
                assertTrue(Arrays.stream(chosen).allMatch(size -> size <= FlexFec.MOST_PROTECTED), what);
                if (FlexFec.unmendedChance(chosen, loss) > FlexFec.MOST_UNMENDED) {
                    assertArrayEquals(FlexFec.groupSizes(packets, FlexFec.FEWEST_PROTECTED), chosen,
                            what + ": out of bounds only with the most FEC there is");
                }
                for (int most = FlexFec.FEWEST_PROTECTED + 1; most <= FlexFec.MOST_PROTECTED; most++) {
                    int[] fewer = FlexFec.groupSizes(packets, most);
                    if (fewer.length < chosen.length) {
                        assertTrue(FlexFec.unmendedChance(fewer, loss) > FlexFec.MOST_UNMENDED,
                                what + " where " + Arrays.toString(fewer) + " would do");
                    }
                }
            }
        }
    }

    @Test
    void theChanceOfALossNotMendedIsThatOfTwoLossesInAGroup() {
        // A group of 10 and its FEC packet: 1 - 0.99^11 - 11 * 0.01 * 0.99^10
        assertEquals(0.00518, FlexFec.unmendedChance(new int[] {10}, 0.01), 0.00001);
        assertEquals(1 - Math.pow(1 - 0.00518, 2), FlexFec.unmendedChance(new int[] {10, 10}, 0.01), 0.00001);
        assertEquals(0, FlexFec.unmendedChance(new int[0], 0.01), "no groups: nothing counted");
        assertEquals(0, FlexFec.unmendedChance(new int[] {10}, 0));
    }
}
