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
    void aMaskNamesPacketsThatAreNotConsecutive() {
        List<byte[]> packets = packets(15, 65_534);
        List<byte[]> some = List.of(packets.get(1), packets.get(2), packets.get(6), packets.get(14));
        byte[] fec = FlexFec.protect(some, MEDIA_SSRC);
        assertEquals(List.of(65_535, 0, 4, 12), protectedNumbers(fec), "the base is the first named, not the block's");
        for (int lost = 0; lost < some.size(); lost++) {
            List<byte[]> received = new ArrayList<>(some);
            byte[] original = received.remove(lost);
            assertArrayEquals(original, recover(fec, received, protectedNumbers(fec).get(lost)));
        }
    }

    @Test
    void protectsOneToFifteenPacketsInOrderWithinFifteenOfTheFirst() {
        assertThrows(IllegalArgumentException.class, () -> FlexFec.protect(List.of(), MEDIA_SSRC));
        assertThrows(IllegalArgumentException.class, () -> FlexFec.protect(packets(16, 0), MEDIA_SSRC));
        List<byte[]> packets = packets(16, 0);
        assertThrows(IllegalArgumentException.class,
                () -> FlexFec.protect(List.of(packets.get(0), packets.get(15)), MEDIA_SSRC), "16 apart");
        assertThrows(IllegalArgumentException.class,
                () -> FlexFec.protect(List.of(packets.get(3), packets.get(2)), MEDIA_SSRC), "out of order");
        assertThrows(IllegalArgumentException.class,
                () -> FlexFec.protect(List.of(packets.get(3), packets.get(3)), MEDIA_SSRC), "twice");
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
        assertEquals(1, FlexFec.protectionFor(10, 0.005).length, "half a percent: one FEC packet over a frame of 10");
        assertEquals(1, FlexFec.protectionFor(4, 0.01).length, "1 %: one over a frame of 4");
        assertEquals(2, FlexFec.protectionFor(7, 0.01).length, "1 %: two over a frame of 7");
        assertEquals(2, FlexFec.protectionFor(10, 0.01).length, "1 %: two over a frame of 10, the most there is");
        assertEquals(9, FlexFec.protectionFor(38, 0.01).length, "1 %: nine over a key frame of 38 (blocks of 13)");
        assertEquals(2, FlexFec.protectionFor(10, 0.05).length, "5 %: the most FEC there is");
        assertEquals(3, FlexFec.protectionFor(15, 0.05).length, "5 %: one for every 5 packets");
    }

    /**
     * Each FEC packet names packets of one block of at most 15 and goes after them; every packet is protected; and
     * the chance reckoned is in bounds unless every block has the most FEC there is, and a frame of one block would
     * be out of bounds with one FEC packet fewer.
     */
    @Test
    void theFecChosenIsTheLeastWhoseChanceOfALossNotMendedIsInBounds() {
        for (int packets = 1; packets <= 60; packets++) {
            int[] blocks = FlexFec.groupSizes(packets, FlexFec.MOST_PROTECTED);
            for (double loss = 0.0025; loss < 0.1; loss += 0.0025) {
                int[][] chosen = FlexFec.protectionFor(packets, loss);
                String what = packets + " packets at " + loss + ": " + Arrays.deepToString(chosen);
                int[] perBlock = new int[blocks.length];
                boolean[] covered = new boolean[packets];
                int blockStart = 0;
                int block = 0;
                for (int[] fec : chosen) {
                    while (fec[0] >= blockStart + blocks[block]) {
                        blockStart += blocks[block++];
                    }
                    perBlock[block]++;
                    assertTrue(fec[fec.length - 1] < blockStart + blocks[block], what + ": within its block");
                    for (int i = 1; i < fec.length; i++) {
                        assertTrue(fec[i] > fec[i - 1], what + ": in order");
                    }
                    Arrays.stream(fec).forEach(index -> covered[index] = true);
                }
                for (int b = 0; b < blocks.length; b++) {
                    assertTrue(perBlock[b] >= 1 && perBlock[b] <= FlexFec.mostFecFor(blocks[b]), what);
                    assertTrue(perBlock[b] == 1 || perBlock[b] <= (blocks[b] + 4) / 5, what + ": one for every 5");
                }
                for (boolean each : covered) {
                    assertTrue(each, what + ": every packet protected");
                }
                double chance = FlexFec.unmendedChance(blocks, perBlock, loss);
                boolean most = true;
                for (int b = 0; b < blocks.length; b++) {
                    most &= perBlock[b] == FlexFec.mostFecFor(blocks[b]);
                }
                assertTrue(chance <= FlexFec.MOST_UNMENDED || most, what + ": out of bounds only with the most FEC");
                if (blocks.length == 1 && perBlock[0] > 1) {
                    assertTrue(FlexFec.unmendedChance(packets, perBlock[0] - 1, loss) > FlexFec.MOST_UNMENDED,
                            what + " where one fewer would do");
                }
            }
        }
    }

    @Test
    void theChanceOfALossNotMendedWithOneFecPacketIsThatOfTwoLosses() {
        // A block of 10 and its FEC packet: 1 - 0.99^11 - 11 * 0.01 * 0.99^10
        assertEquals(0.00518, FlexFec.unmendedChance(10, 1, 0.01), 0.00001);
        assertEquals(1 - Math.pow(1 - 0.00518, 2),
                FlexFec.unmendedChance(new int[] {10, 10}, new int[] {1, 1}, 0.01), 0.00001);
        assertEquals(0, FlexFec.unmendedChance(new int[0], new int[0], 0.01), "no blocks: nothing counted");
        assertEquals(0, FlexFec.unmendedChance(10, 1, 0));
    }

    /**
     * The FEC of a frame, lost in every way there is, through a receiver that follows the draft (an FEC packet that
     * names one missing packet rebuilds it, and what it rebuilt counts as received for the rest, as libwebrtc's
     * does): every packet it rebuilds is the original byte for byte, and the chance of a loss not mended that the
     * plan reckons is what this receiver finds, to within the four and more losses it takes as not mended.
     */
    @Test
    void overlappingFecMendsWhatItReckonsItMends() {
        for (int[] frameAndFec : new int[][] {{7, 1}, {7, 2}, {10, 2}, {4, 1}, {9, 2}, {5, 1}, {3, 1}}) {
            int size = frameAndFec[0];
            int fecCount = frameAndFec[1];
            List<byte[]> media = packets(size, 65_533);
            int[] codes = FlexFec.codes(size, fecCount);
            List<byte[]> fecs = new ArrayList<>();
            for (int bit = 0; bit < fecCount; bit++) {
                List<byte[]> named = new ArrayList<>();
                for (int i = 0; i < size; i++) {
                    if ((codes[i] >> bit & 1) != 0) {
                        named.add(media.get(i));
                    }
                }
                fecs.add(FlexFec.protect(named, MEDIA_SSRC));
            }
            int all = size + fecCount;
            long[] notMendedByLosses = new long[all + 1];
            for (int lost = 0; lost < 1 << all; lost++) {
                if (!received(media, fecs, lost)) {
                    notMendedByLosses[Integer.bitCount(lost)]++;
                }
            }
            String what = size + " packets and " + fecCount + " FEC: " + Arrays.toString(codes);
            assertEquals(0, notMendedByLosses[0] + notMendedByLosses[1], what + ": one loss is always mended");
            if (size == 7) {
                assertEquals(fecCount == 1 ? 28 : 9, notMendedByLosses[2], what + ": two losses not mended");
            }
            for (double loss : new double[] {0.005, 0.01, 0.02, 0.05}) {
                double found = 0;
                for (int lost = 2; lost <= all; lost++) {
                    found += notMendedByLosses[lost] * Math.pow(loss, lost) * Math.pow(1 - loss, all - lost);
                }
                double reckoned = FlexFec.unmendedChance(size, fecCount, loss);
                double fourOrMore = 1;
                for (int lost = 0; lost < 4; lost++) {
                    fourOrMore -= binomial(all, lost) * Math.pow(loss, lost) * Math.pow(1 - loss, all - lost);
                }
                assertTrue(reckoned >= found - 1e-12 && reckoned <= found + fourOrMore + 1e-12,
                        what + " at " + loss + ": reckoned " + reckoned + ", found " + found);
            }
        }
        assertTrue(FlexFec.unmendedChance(7, 2, 0.01) < 0.001, "1 %: two over 7 leave under 0.1 %");
        assertTrue(FlexFec.unmendedChance(7, 1, 0.01) > 0.0025, "one, over 0.25 %");
    }

    private static double binomial(int n, int k) {
        double ways = 1;
        for (int i = 1; i <= k; i++) {
            ways = ways * (n - k + i) / i;
        }
        return ways;
    }

    /** Whether a receiver that lost the packets whose bits are set in {@code lost} rebuilds all the media. */
    private static boolean received(List<byte[]> media, List<byte[]> fecs, int lost) {
        java.util.Map<Integer, byte[]> held = new java.util.HashMap<>();
        for (int i = 0; i < media.size(); i++) {
            if ((lost & 1 << i) == 0) {
                held.put(ByteBuffer.wrap(media.get(i)).getShort(2) & 0xFFFF, media.get(i));
            }
        }
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int f = 0; f < fecs.size(); f++) {
                if ((lost & 1 << (media.size() + f)) != 0) {
                    continue;
                }
                List<Integer> named = protectedNumbers(fecs.get(f));
                List<Integer> missing = named.stream().filter(n -> !held.containsKey(n)).toList();
                if (missing.size() == 1) {
                    List<byte[]> others = named.stream().filter(held::containsKey).map(held::get).toList();
                    held.put(missing.getFirst(), recover(fecs.get(f), others, missing.getFirst()));
                    progress = true;
                }
            }
        }
        for (byte[] packet : media) {
            byte[] rebuilt = held.get(ByteBuffer.wrap(packet).getShort(2) & 0xFFFF);
            if (rebuilt == null) {
                return false;
            }
            assertArrayEquals(packet, rebuilt, "a packet rebuilt is the original");
        }
        return true;
    }
}
