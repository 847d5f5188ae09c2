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
     * How many media packets each FEC packet is to protect, given the share of packets the path lost lately; 0: none.
     * Under half a percent, retransmission mends the rare loss; above it, an FEC packet over each frame, or over each
     * part of a larger one, of up to 15 packets, and of 5 where the loss is 4 % or more, so that two losses in a frame
     * are mended too. A packet rebuilt saves a round trip of frozen picture; at 1.5 Mbit/s and 30 frames a second a
     * frame is 5 packets, so one FEC packet a frame costs a sixth of the rate. FEC that goes already ({@code
     * protecting}) stops only under a quarter of a percent: on a path that loses 1 %, the last 1,000 packets hold
     * fewer than 5 losses now and then, and FEC stopped for 7 % of the frames (a traced run of the network bench, in
     * spells of 0.1 to 0.9 s), each loss in them waiting a round trip for its retransmission.
     */
    static int groupFor(double loss, boolean protecting) {
        return loss < (protecting ? 0.0025 : 0.005) ? 0 : loss < 0.04 ? MOST_PROTECTED : 5;
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
