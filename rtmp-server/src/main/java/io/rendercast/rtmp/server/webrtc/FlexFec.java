package io.rendercast.rtmp.server.webrtc;

import java.util.List;

/**
 * Forward error correction by XOR in FlexFEC's format as WebRTC browsers read it ({@code flexfec-03}, the draft that
 * became RFC 8627, in its flexible mask mode): one FEC packet protects up to {@value #MOST_PROTECTED} media packets
 * of consecutive sequence numbers, and a receiver that has all of them but one rebuilds that one at once, with no
 * round trip for a retransmission. FEC packets go on a stream of their own (their own SSRC and sequence numbers),
 * so one that is lost leaves no gap in the media's numbers for the browser to wait on, as ULPFEC's would with H.264.
 * The media packets are protected as the receiver holds them: from their twelfth byte on (header extensions and
 * payload), with the extensions that change as a packet leaves (the transport-wide number) at zero.
 */
final class FlexFec {

    /** The most media packets one FEC packet protects: what the short mask (15 bits) names. */
    static final int MOST_PROTECTED = 15;
    /**
     * The fewest media packets one FEC packet protects, however lossy the path: one FEC packet in six. With it, at 80
     * ms and 5 % loss, the network bench's page saw no freeze over 300 ms.
     */
    static final int FEWEST_PROTECTED = 5;
    /** The chance of a loss FEC cannot mend that a frame's FEC is chosen to keep it under. */
    static final double MOST_UNMENDED = 0.003;
    private static final int RTP_HEADER = 12;
    /** The header before the payload: recovery fields (8), SSRC count and reserved (4), SSRC (4), base and mask (4). */
    static final int HEADER = 20;

    private FlexFec() {
    }

    /**
     * The FEC payload that protects {@code packets}, RTP packets of consecutive sequence numbers from the first one's,
     * all of the media stream {@code mediaSsrc}.
     *
     * @throws IllegalArgumentException for no packets, or more than {@value #MOST_PROTECTED}
     */
    static byte[] protect(List<byte[]> packets, int mediaSsrc) {
        if (packets.isEmpty() || packets.size() > MOST_PROTECTED) {
            throw new IllegalArgumentException("FlexFEC protects 1 to " + MOST_PROTECTED + " packets here, not "
                    + packets.size());
        }
        int protectedLength = 0;
        for (byte[] packet : packets) {
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
        byte[] first = packets.getFirst();
        fec[16] = first[2]; // the sequence number base: the mask's first bit
        fec[17] = first[3];
        // K = 1 (the mask ends in these two bytes), then one bit per packet from the base.
        int mask = 0x8000 | (0x7FFF & (0x7FFF << (MOST_PROTECTED - packets.size())));
        fec[18] = (byte) (mask >> 8);
        fec[19] = (byte) mask;
        return fec;
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
     * The groups, in order, of a frame's {@code packets} that each get an FEC packet on a path that loses {@code
     * loss}: the fewest FEC packets, in groups of up to {@value #MOST_PROTECTED}, that leave the frame at most {@value
     * #MOST_UNMENDED} chance of a loss FEC cannot mend ({@link #unmendedChance}), and never a group of more than
     * {@value #FEWEST_PROTECTED} where none does. A frame FEC does not mend waits a round trip for its retransmission,
     * and the frames after it wait with it. At 1 % loss one FEC packet over a frame of 10 leaves a chance of 0.55 %:
     * in a traced run of the network bench at 80 ms, 0.25 % of the frames had NACKs for two packets of one group, and
     * the slowest inputs' frames took 145 to 265 ms glass to glass against a median of 60. Two groups of five there
     * leave 0.29 %; a larger frame, such as a key frame, gets more groups than a small one for the same chance.
     */
    static int[] groupsFor(int packets, double loss) {
        for (int most = MOST_PROTECTED; most > FEWEST_PROTECTED; most--) {
            int[] sizes = groupSizes(packets, most);
            if (unmendedChance(sizes, loss) <= MOST_UNMENDED) {
                return sizes;
            }
        }
        return groupSizes(packets, FEWEST_PROTECTED);
    }

    /**
     * The chance that a frame sent in groups of {@code sizes} media packets, each followed by an FEC packet over it,
     * loses what FEC cannot mend, each packet lost at random with chance {@code loss}: a group is mended unless two of
     * its packets, its FEC packet counted, are lost.
     */
    static double unmendedChance(int[] sizes, double loss) {
        double mended = 1;
        for (int size : sizes) {
            mended *= Math.pow(1 - loss, size + 1) + (size + 1) * loss * Math.pow(1 - loss, size);
        }
        return 1 - mended;
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
