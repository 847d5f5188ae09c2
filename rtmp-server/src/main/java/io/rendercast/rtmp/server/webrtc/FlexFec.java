package io.rendercast.rtmp.server.webrtc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Forward error correction by XOR in FlexFEC's format as WebRTC browsers read it ({@code flexfec-03}, the draft that
 * became RFC 8627, in its flexible mask mode): one FEC packet protects up to {@value #MOST_PROTECTED} media packets
 * within {@value #MOST_PROTECTED} sequence numbers, and a receiver that has all of them but one rebuilds that one at
 * once, with no round trip for a retransmission; where several FEC packets protect a block, their masks overlap
 * ({@link #codes}). FEC packets go on a stream of their own (their own SSRC and sequence numbers),
 * so one that is lost leaves no gap in the media's numbers for the browser to wait on, as ULPFEC's would with H.264.
 * The media packets are protected as the receiver holds them: from their twelfth byte on (header extensions and
 * payload), with the extensions that change as a packet leaves (the transport-wide number) at zero.
 */
final class FlexFec {

    /** The most media packets one FEC packet protects: what the short mask (15 bits) names. */
    static final int MOST_PROTECTED = 15;
    /**
     * The most FEC there is, however lossy the path: one FEC packet for every 5 media packets of a block. With it, at
     * 80 ms and 5 % loss, the network bench's page saw no freeze over 300 ms.
     */
    static final int FEWEST_PROTECTED = 5;
    /**
     * The chance of a loss FEC cannot mend that a frame's FEC is chosen to keep it under. A frame not mended waits a
     * round trip for its retransmission and holds the frames behind it: at 0.3 % a frame, about one input in 150 met
     * one, and the p99 of 600 inputs at 80 ms and 1 % loss missed its target in one run of six.
     */
    static final double MOST_UNMENDED = 0.0015;
    private static final int RTP_HEADER = 12;
    /** The header before the payload: recovery fields (8), SSRC count and reserved (4), SSRC (4), base and mask (4). */
    static final int HEADER = 20;
    /** The most FEC packets over a block of up to {@value #MOST_PROTECTED}. */
    private static final int MOST_PER_BLOCK = mostFecFor(MOST_PROTECTED);
    /**
     * {@code BLOCK_PROTECTION[size][fecPackets]}: for each FEC packet over a block, the indexes in the block of the
     * packets it protects ({@link #codes}); made once here, not for every frame.
     */
    private static final int[][][][] BLOCK_PROTECTION = new int[MOST_PROTECTED + 1][MOST_PER_BLOCK + 1][][];
    /** {@code NOT_MENDED[size][fecPackets][lost]}: the ways of losing that many of a block's packets that leave one. */
    private static final int[][][] NOT_MENDED = new int[MOST_PROTECTED + 1][MOST_PER_BLOCK + 1][];

    static {
        for (int size = 1; size <= MOST_PROTECTED; size++) {
            for (int fec = 1; fec <= MOST_PER_BLOCK; fec++) {
                int[] codes = codes(size, fec);
                BLOCK_PROTECTION[size][fec] = new int[fec][];
                for (int bit = 0; bit < fec; bit++) {
                    int named = bit;
                    BLOCK_PROTECTION[size][fec][bit] = IntStream.range(0, size)
                            .filter(i -> (codes[i] >> named & 1) != 0).toArray();
                }
                NOT_MENDED[size][fec] = countNotMended(codes, fec);
            }
        }
    }

    private FlexFec() {
    }

    /**
     * The FEC payload that protects {@code packets}, RTP packets of the media stream {@code mediaSsrc} in the order
     * of their sequence numbers, all within {@value #MOST_PROTECTED} of the first one's (the mask names which).
     *
     * @throws IllegalArgumentException for no packets, packets out of order, or one too far from the first
     */
    static byte[] protect(List<byte[]> packets, int mediaSsrc) {
        if (packets.isEmpty() || packets.size() > MOST_PROTECTED) {
            throw new IllegalArgumentException("FlexFEC protects 1 to " + MOST_PROTECTED + " packets here, not "
                    + packets.size());
        }
        byte[] first = packets.getFirst();
        int base = sequence(first);
        // K = 1 (the mask ends in these two bytes), then one bit per packet from the base.
        int mask = 0x8000;
        int previous = -1;
        int protectedLength = 0;
        for (byte[] packet : packets) {
            int offset = (sequence(packet) - base) & 0xFFFF;
            if (offset <= previous || offset >= MOST_PROTECTED) {
                throw new IllegalArgumentException("FlexFEC's short mask names packets in order within "
                        + MOST_PROTECTED + " of the first, not one " + offset + " after it");
            }
            previous = offset;
            mask |= 0x4000 >>> offset;
            protectedLength = Math.max(protectedLength, packet.length - RTP_HEADER);
        }
        byte[] fec = new byte[HEADER + protectedLength];
        int lengthRecovery = 0;
        for (byte[] packet : packets) {
            fec[0] ^= packet[0];
            fec[1] ^= packet[1];
            for (int b = 4; b < 8; b++) {
                fec[b] ^= packet[b]; // the timestamp
            }
            lengthRecovery ^= packet.length - RTP_HEADER;
            for (int b = RTP_HEADER; b < packet.length; b++) {
                fec[HEADER + b - RTP_HEADER] ^= packet[b];
            }
        }
        fec[0] &= 0x3F; // R = 0 (not a retransmission), F = 0 (a flexible mask); P, X and CC recover the lost one's
        fec[2] = (byte) (lengthRecovery >> 8);
        fec[3] = (byte) lengthRecovery;
        fec[8] = 1; // one protected SSRC; three reserved bytes of zero follow
        fec[12] = (byte) (mediaSsrc >>> 24);
        fec[13] = (byte) (mediaSsrc >>> 16);
        fec[14] = (byte) (mediaSsrc >>> 8);
        fec[15] = (byte) mediaSsrc;
        fec[16] = first[2]; // the sequence number base: the mask's first bit
        fec[17] = first[3];
        fec[18] = (byte) (mask >> 8);
        fec[19] = (byte) mask;
        return fec;
    }

    private static int sequence(byte[] rtp) {
        return (rtp[2] & 0xFF) << 8 | (rtp[3] & 0xFF);
    }

    /**
     * Whether FEC is to go with the frames on a path that lost {@code loss} of its packets lately, given whether it
     * goes already ({@code protecting}). Under half a percent, retransmission mends the rare loss. FEC that goes
     * already stops only under a quarter of a percent: on a path that loses 1 %, the last 1,000 packets hold fewer
     * than 5 losses now and then, and FEC stopped for 7 % of the frames (a traced run of the network bench, in spells
     * of 0.1 to 0.9 s), each loss in them waiting a round trip for its retransmission.
     */
    static boolean protects(double loss, boolean protecting) {
        return loss >= (protecting ? 0.0025 : 0.005);
    }

    /**
     * The FEC packets that go with a frame of {@code packets} media packets on a path that loses {@code loss}: for
     * each, the indexes in the frame of the media packets it protects, in order; each goes after the last of them.
     * The frame is cut into as few blocks of up to {@value #MOST_PROTECTED} as it can be, and each block gets the
     * fewest FEC packets ({@link #codes}) that leave the frame at most {@value #MOST_UNMENDED} chance of a loss FEC
     * cannot mend, and never more than one for every {@value #FEWEST_PROTECTED} of its packets where none does.
     */
    static int[][] protectionFor(int packets, double loss) {
        int[] blocks = groupSizes(packets, MOST_PROTECTED);
        int[] fecPackets = new int[blocks.length];
        Arrays.fill(fecPackets, 1);
        while (unmendedChance(blocks, fecPackets, loss) > MOST_UNMENDED) {
            int worst = -1;
            double worstChance = 0;
            for (int b = 0; b < blocks.length; b++) {
                double chance = unmendedChance(blocks[b], fecPackets[b], loss);
                if (fecPackets[b] < mostFecFor(blocks[b]) && chance > worstChance) {
                    worst = b;
                    worstChance = chance;
                }
            }
            if (worst < 0) {
                break; // the most FEC there is
            }
            fecPackets[worst]++;
        }
        List<int[]> protection = new ArrayList<>();
        int first = 0;
        for (int b = 0; b < blocks.length; b++) {
            for (int[] inBlock : BLOCK_PROTECTION[blocks[b]][fecPackets[b]]) {
                int[] indexes = new int[inBlock.length];
                for (int i = 0; i < inBlock.length; i++) {
                    indexes[i] = first + inBlock[i];
                }
                protection.add(indexes);
            }
            first += blocks[b];
        }
        return protection.toArray(new int[0][]);
    }

    /** The most FEC packets over a block of {@code size}: one for every {@value #FEWEST_PROTECTED}, at least one. */
    static int mostFecFor(int size) {
        return Math.max(1, (size + FEWEST_PROTECTED - 1) / FEWEST_PROTECTED);
    }

    /**
     * Which of {@code fecPackets} FEC packets protect each of a block's {@code size} media packets: a code per packet,
     * bit {@code j} set where FEC packet {@code j} protects it. One FEC packet protects them all. With more, as in
     * libwebrtc's masks, they overlap: a receiver rebuilds a packet from an FEC packet that misses only that one, then
     * goes on with what it rebuilt, so two lost packets whose codes differ are both mended, and so is a lost packet and
     * an FEC packet where another FEC packet protects it too. The codes are spread as evenly as those two rules
     * reward (a code of one bit counts one more, for its FEC packet's loss), and laid out in turn, so that packets
     * side by side differ and a burst of two is mended. With 2 over 7 packets, 9 of the 36 ways of losing two leave
     * one lost, against all 28 ways of losing two of 8 with one, and 16 of 36 with two over groups of 4 and 3.
     */
    static int[] codes(int size, int fecPackets) {
        int kinds = (1 << fecPackets) - 1;
        int[] count = new int[kinds + 1];
        for (int i = 0; i < size; i++) {
            int best = 0;
            for (int code = kinds; code >= 1; code--) { // the code protected most goes first among equals
                if (best == 0 || cost(code, count) < cost(best, count)) {
                    best = code;
                }
            }
            count[best]++;
        }
        int[] codes = new int[size];
        int i = 0;
        while (i < size) {
            for (int code = kinds; code >= 1 && i < size; code--) {
                if (count[code] > 0) {
                    count[code]--;
                    codes[i++] = code;
                }
            }
        }
        return codes;
    }

    private static int cost(int code, int[] count) {
        return count[code] + (Integer.bitCount(code) == 1 ? 1 : 0);
    }

    /**
     * The chance that a frame cut into blocks of {@code sizes} media packets, with {@code fecPackets} FEC packets over
     * each, loses what FEC cannot mend, each packet lost at random with chance {@code loss}. Losses of two and three
     * packets are counted exactly; four or more in one block are taken as not mended, which overstates the chance by
     * under 0.01 % at 1 % loss.
     */
    static double unmendedChance(int[] sizes, int[] fecPackets, double loss) {
        double mended = 1;
        for (int b = 0; b < sizes.length; b++) {
            mended *= 1 - unmendedChance(sizes[b], fecPackets[b], loss);
        }
        return 1 - mended;
    }

    /** {@link #unmendedChance(int[], int[], double)} for one block. */
    static double unmendedChance(int size, int fecPackets, double loss) {
        int[] notMended = NOT_MENDED[size][fecPackets];
        int all = size + fecPackets;
        double chance = 0;
        double fewerThanFour = 0;
        for (int lost = 0; lost <= Math.min(3, all); lost++) {
            double each = Math.pow(loss, lost) * Math.pow(1 - loss, all - lost);
            fewerThanFour += binomial(all, lost) * each;
            chance += notMended[lost] * each;
        }
        return Math.min(1, chance + Math.max(0, 1 - fewerThanFour));
    }

    private static double binomial(int n, int k) {
        double ways = 1;
        for (int i = 1; i <= k; i++) {
            ways = ways * (n - k + i) / i;
        }
        return ways;
    }

    /**
     * For each count of lost packets from 0 to 3, the ways of losing that many of a block's media packets (bits 0 to
     * {@code codes.length - 1}) and FEC packets (the bits above) that leave a media packet lost.
     */
    private static int[] countNotMended(int[] codes, int fecPackets) {
        int all = codes.length + fecPackets;
        int[] notMended = new int[4];
        for (int a = 0; a < all; a++) {
            for (int b = a + 1; b < all; b++) {
                notMended[2] += mends(codes, fecPackets, 1 << a | 1 << b) ? 0 : 1;
                for (int c = b + 1; c < all; c++) {
                    notMended[3] += mends(codes, fecPackets, 1 << a | 1 << b | 1 << c) ? 0 : 1;
                }
            }
        }
        return notMended;
    }

    /** Whether a receiver rebuilds every lost media packet of a block from the FEC packets it received. */
    private static boolean mends(int[] codes, int fecPackets, int lost) {
        int size = codes.length;
        int lostMedia = lost & ((1 << size) - 1);
        boolean progress = true;
        while (lostMedia != 0 && progress) {
            progress = false;
            for (int fec = 0; fec < fecPackets; fec++) {
                if ((lost & 1 << (size + fec)) != 0) {
                    continue;
                }
                int missing = 0;
                int which = -1;
                for (int i = 0; i < size; i++) {
                    if ((lostMedia & 1 << i) != 0 && (codes[i] >> fec & 1) != 0) {
                        missing++;
                        which = i;
                    }
                }
                if (missing == 1) {
                    lostMedia &= ~(1 << which);
                    progress = true;
                }
            }
        }
        return lostMedia == 0;
    }

    /**
     * A frame of {@code packets} media packets cut into as few groups of at most {@code most} as there can be, of
     * near equal size (a FEC packet over 8 and one over 7, not over 14 and 1): their sizes, in order; none where
     * {@code most} is 0.
     */
    static int[] groupSizes(int packets, int most) {
        if (most <= 0 || packets <= 0) {
            return new int[0];
        }
        int groups = (packets + most - 1) / most;
        int[] sizes = new int[groups];
        for (int g = 0; g < groups; g++) {
            sizes[g] = (int) ((long) packets * (g + 1) / groups - (long) packets * g / groups);
        }
        return sizes;
    }
}
