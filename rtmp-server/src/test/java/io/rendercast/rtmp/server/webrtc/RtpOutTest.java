package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a WebRTC viewer is sent, and how the transport-wide feedback accounts for it: numbers given as packets
 * leave, each packet's fate told once, and none left for ever on the way.
 */
class RtpOutTest {

    private static final int TRANSPORT_CC = 3;

    private static RtpOut out() {
        RtpOut out = new RtpOut(0x1234_5678, 0x2345_6789, 0x3456_789A, TRANSPORT_CC, -1, -1, 1200);
        out.use(new SdpOffer.VideoCodec("h264", 102, "packetization-mode=1", 103));
        out.keys(new SrtpGcm(new byte[56], true));
        return out;
    }

    /** One frame of one small NAL unit: one packet. */
    private static byte[] packetOfOneFrame(RtpOut out, int n) {
        List<byte[]> packets = out.frame(new FlvVideoFrames.Frame("h264", false, List.of(new byte[] {0x41, (byte) n})),
                n * 33, null);
        assertEquals(1, packets.size());
        return packets.getFirst();
    }

    /**
     * Where the offer took absolute capture time and the stream's clock is known: the frame's first packet carries
     * the wall-clock time it was rendered, in NTP's short form; the frame's other packets carry none.
     */
    @Test
    void aFramesFirstPacketCarriesItsRenderTimeAsAbsoluteCaptureTime() {
        RtpOut out = new RtpOut(0x1234_5678, 0x2345_6789, 0x3456_789A, TRANSPORT_CC, -1, 7, 1200);
        out.use(new SdpOffer.VideoCodec("h264", 102, "packetization-mode=1", 103));
        out.keys(new SrtpGcm(new byte[56], true));
        FlvVideoFrames.Frame large = new FlvVideoFrames.Frame("h264", false, List.of(new byte[3000]));
        assertTrue(out.frame(large, 1000, null).stream().allMatch(p -> extension(p, 7) == null),
                "none before the stream's metadata gives its clock");

        long epochMillis = 1_796_000_000_250L;
        out.streamClock(epochMillis);
        List<byte[]> packets = out.frame(large, 1500, null);
        assertTrue(packets.size() >= 3, "a frame of several packets: " + packets.size());
        ByteBuffer capture = ByteBuffer.wrap(extension(packets.getFirst(), 7));
        long seconds = capture.getInt() & 0xFFFF_FFFFL;
        long fraction = capture.getInt() & 0xFFFF_FFFFL;
        assertEquals(epochMillis + 1500, (seconds - 2_208_988_800L) * 1000 + Math.round(fraction * 1000.0 / (1L << 32)),
                "the render time: the stream's clock epoch plus the frame's timestamp, from 1900");
        assertTrue(packets.stream().skip(1).allMatch(p -> extension(p, 7) == null), "only on the first packet");
        assertEquals(2, extension(packets.get(1), TRANSPORT_CC).length, "the others keep theirs");
    }

    /** The value of the one-byte header extension {@code id} in an RTP packet (RFC 8285), or null. */
    private static byte[] extension(byte[] rtp, int id) {
        if ((rtp[0] & 0x10) == 0) {
            return null;
        }
        ByteBuffer in = ByteBuffer.wrap(rtp);
        int end = 12 + 4 + 4 * (in.getShort(12 + 2) & 0xFFFF);
        for (int at = 16; at < end; ) {
            int element = rtp[at] & 0xFF;
            if (element == 0) {
                at++;
                continue;
            }
            int length = (element & 0x0F) + 1;
            if (element >> 4 == id) {
                return java.util.Arrays.copyOfRange(rtp, at + 1, at + 1 + length);
            }
            at += 1 + length;
        }
        return null;
    }

    private static int transportNumber(byte[] srtp) {
        return ByteBuffer.wrap(srtp).getShort(12 + 5) & 0xFFFF;
    }

    @Test
    void aRetransmissionSentAtOnceTakesTheNextNumberNotOneBeforeThoseWaiting() {
        RtpOut out = out();
        byte[] first = packetOfOneFrame(out, 0);
        assertEquals(0, transportNumber(out.send(first, 1)));
        for (int n = 1; n < 8; n++) { // what earns the retransmission budget
            assertEquals(n, transportNumber(out.send(packetOfOneFrame(out, n), n + 1)));
        }
        byte[] waiting = packetOfOneFrame(out, 8); // held by the pacer
        byte[] rtx = out.retransmission(ByteBuffer.wrap(first).getShort(2) & 0xFFFF, true);
        assertNotNull(rtx, "the first is kept for retransmission");
        assertEquals(8, transportNumber(out.send(rtx, 10)), "the retransmission leaves first, numbered 8");
        assertEquals(9, transportNumber(out.send(waiting, 11)), "the packet that waited, after it");
    }

    /** Asked again within half a round trip: on its way already. Asked again after it: the resend was lost. */
    @Test
    void aPacketIsResentAgainAfterHalfARoundTrip() throws InterruptedException {
        RtpOut out = out();
        byte[] first = packetOfOneFrame(out, 0);
        out.send(first, 1);
        for (int n = 1; n < 16; n++) {
            out.send(packetOfOneFrame(out, n), n + 1);
        }
        int lost = ByteBuffer.wrap(first).getShort(2) & 0xFFFF;
        out.roundTrip(200);
        assertNotNull(out.retransmission(lost, true));
        assertEquals(null, out.retransmission(lost, true), "asked again at once: on its way already");
        out.roundTrip(80);
        Thread.sleep(60);
        assertNotNull(out.retransmission(lost, true), "asked again 60 ms later on an 80 ms path: the resend was lost");
    }

    /** A second copy of a retransmission is paid from the same budget, a quarter of the media. */
    @Test
    void aSecondCopyOfARetransmissionComesOutOfTheRetransmissionBudget() {
        RtpOut out = out();
        int size = 0;
        for (int n = 0; n < 8; n++) {
            size = packetOfOneFrame(out, n).length;
        }
        // eight packets made: two packets' worth (less what rounding took) to resend or copy
        assertTrue(out.budgetsACopy(size - 4));
        assertTrue(out.budgetsACopy(size - 4));
        assertTrue(!out.budgetsACopy(size - 4), "the budget is spent");
    }

    @Test
    void feedbackTellsEachFateOnceAndNumbersNeverReportedCountAsLost() {
        RtpOut out = out();
        long size = 0;
        for (int n = 0; n < 4; n++) {
            size = out.send(packetOfOneFrame(out, n), 1_000_000L * (n + 1)).length;
        }
        List<CongestionController.Fate> fates = out.reported(
                new Rtcp.Feedback.Reported(0, new boolean[] {true, false}, new long[] {5_000, -1}));
        assertEquals(2, fates.size());
        assertTrue(fates.get(0).arrived() && !fates.get(1).arrived());
        assertEquals(1_000_000L, fates.get(0).sendNanos());
        assertEquals(size, out.acknowledged());
        assertEquals(size, out.bytesLost());
        assertEquals(0, out.reported(new Rtcp.Feedback.Reported(0, new boolean[] {true, true},
                new long[] {5_000, 6_000})).size(), "told already: nothing new");
        // Number 3 reported; 2, skipped over, was lost.
        assertEquals(1, out.reported(new Rtcp.Feedback.Reported(3, new boolean[] {true}, new long[] {9_000})).size());
        assertEquals(2 * size, out.bytesLost());
        assertEquals(2 * size, out.acknowledged());
    }

    private static int sequence(byte[] rtp) {
        return ByteBuffer.wrap(rtp).getShort(2) & 0xFFFF;
    }

    /**
     * The feedback reports two media packets lost: one a NACK had resent already, one whose NACK never came. Only
     * the second is due to be resent unasked, once; packets not reported on are not.
     */
    @Test
    void aPacketTheFeedbackReportsLostIsResentUnlessANackHadItResent() {
        RtpOut out = out();
        byte[][] sent = new byte[8][];
        for (int n = 0; n < 8; n++) { // numbered 0 to 7; what earns the retransmission budget
            sent[n] = packetOfOneFrame(out, n);
            out.send(sent[n], n + 1);
        }
        assertNotNull(out.retransmission(sequence(sent[2]), true), "packet 2 NACKed and resent");
        out.reported(new Rtcp.Feedback.Reported(0, new boolean[] {true, true, false, true, true, false},
                new long[] {1_000, 2_000, -1, 4_000, 5_000, -1}));
        assertEquals(List.of(sequence(sent[5])), out.resendsDue(), "5 lost, its NACK lost too");
        assertEquals(List.of(), out.resendsDue(), "taken once");
        out.reported(new Rtcp.Feedback.Reported(7, new boolean[] {true}, new long[] {8_000}));
        assertEquals(List.of(), out.resendsDue(), "6, skipped over by the feedback, is of unknown fate: not resent");
    }

    /**
     * A probe is copies of the newest media packets of some size that have left, as RTX: five at least, and as many
     * as its bytes need; the frames' short packets are skipped, and so are packets still waiting to leave. Its fates
     * come back marked as the probe's, and one lost is not resent: it carried nothing the viewer lacks.
     */
    @Test
    void aProbeIsRtxCopiesOfTheNewestPacketsAndItsLossesAreNotResent() {
        RtpOut out = out();
        List<byte[]> media = new java.util.ArrayList<>();
        for (int n = 0; n < 4; n++) { // a frame of three packets: two of 1,200 bytes of payload and one of 206
            List<byte[]> frame = out.frame(new FlvVideoFrames.Frame("h264", false, List.of(new byte[2600])), n * 33,
                    null);
            frame.forEach(packet -> out.send(packet, 1));
            media.addAll(frame);
        }
        List<byte[]> waiting = out.frame(new FlvVideoFrames.Frame("h264", false, List.of(new byte[2600])), 4 * 33,
                null); // in the pacer, not sent
        List<byte[]> probe = out.probePackets(7_000);
        assertEquals(6, probe.size(), "six packets of 1,222 bytes for 7,000 bytes");
        for (byte[] packet : probe) {
            assertEquals(0x2345_6789, ByteBuffer.wrap(packet).getInt(8), "on the RTX stream");
            assertEquals(103, packet[1] & 0x7F, "RTX's payload type");
            int resent = ByteBuffer.wrap(packet).getShort(12 + 4 + 4) & 0xFFFF;
            assertTrue(media.stream().anyMatch(m -> sequence(m) == resent && m.length == packet.length - 2),
                    "a copy of one of the long packets sent: " + resent);
            assertTrue(waiting.stream().noneMatch(m -> sequence(m) == resent), "not of one waiting: " + resent);
        }
        assertTrue(out.probePackets(100).size() >= RtpOut.LEAST_PROBE_PACKETS, "five at least");
        int before = media.size();
        for (byte[] packet : probe) {
            out.sendProbe(packet, 2);
        }
        boolean[] received = new boolean[before + probe.size()];
        long[] arrivals = new long[received.length];
        for (int i = 0; i < received.length; i++) {
            received[i] = i != before; // the probe's first lost
            arrivals[i] = received[i] ? 1_000 + i : -1;
        }
        List<CongestionController.Fate> fates = out.reported(new Rtcp.Feedback.Reported(0, received, arrivals));
        assertEquals(probe.size(), fates.stream().filter(CongestionController.Fate::probe).count(), "marked");
        assertEquals(List.of(), out.resendsDue(), "the probe's loss is not resent");
    }

    /** The feedback reports a retransmission lost: the packet it resent is due again. */
    @Test
    void aLostRetransmissionIsResentUnasked() {
        RtpOut out = out();
        byte[] first = packetOfOneFrame(out, 0);
        out.send(first, 1);
        for (int n = 1; n < 8; n++) {
            out.send(packetOfOneFrame(out, n), n + 1);
        }
        out.send(out.retransmission(sequence(first), true), 9); // numbered 8
        out.reported(new Rtcp.Feedback.Reported(0, new boolean[] {false, true, true, true, true, true, true, true,
            false}, new long[] {-1, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 8_000, -1}));
        assertEquals(List.of(sequence(first)), out.resendsDue(), "the original's loss was NACKed; its RTX's was not");
    }

    /**
     * A packet lost long before the newest left (a blackout's, reported once the path is back) is not resent
     * unasked: the browser has asked for it, given up on it, or asked for a key frame.
     */
    @Test
    void aPacketLostLongBeforeTheNewestIsNotResentUnasked() {
        RtpOut out = out();
        byte[][] sent = new byte[8][];
        for (int n = 0; n < 8; n++) {
            sent[n] = packetOfOneFrame(out, n);
            out.send(sent[n], n < 4 ? n + 1 : 2_000_000_000L + n); // 2 s between the fourth and the fifth
        }
        out.roundTrip(80); // unasked within 260 ms of the newest
        out.reported(new Rtcp.Feedback.Reported(0, new boolean[] {true, false, true, true, true, false, true, true},
                new long[] {1_000, -1, 3_000, 4_000, 2_005_000, -1, 2_007_000, 2_008_000}));
        assertEquals(List.of(sequence(sent[5])), out.resendsDue(), "1, from before the gap, is not resent");
    }

    /** Resending unasked what is no longer kept, or beyond the budget, is no NACK turned away. */
    @Test
    void anUnaskedResendThatCannotGoIsNotCountedUnmendable() {
        RtpOut out = out();
        byte[] only = packetOfOneFrame(out, 0);
        out.send(only, 1);
        assertEquals(null, out.retransmission(sequence(only), false), "one packet's quarter buys no resend");
        assertEquals(0, out.unmendable());
        assertEquals(null, out.retransmission(sequence(only), true));
        assertEquals(1, out.unmendable(), "a NACK turned away is");
    }

    @Test
    void aNumberThatLeavesTheRingUnreportedCountsAsLost() {
        RtpOut out = out();
        long total = 0;
        for (int n = 0; n < 8192 + 10; n++) {
            total += out.send(packetOfOneFrame(out, n), n + 1).length;
        }
        long leftTheRing = total / (8192 + 10) * 10;
        assertEquals(leftTheRing, out.bytesLost(), 1, "ten packets older than the ring, never reported: lost");
    }

    /**
     * With FlexFEC agreed and the path losing some: after the frame's packets, the FEC packet over them, on FlexFEC's
     * own stream; without loss, none.
     */
    @Test
    void aFrameIsFollowedByItsFecPacketWhileThePathLoses() {
        RtpOut out = out();
        out.useFlexFec(49);
        byte[] nal = new byte[3000];
        nal[0] = 0x41;
        FlvVideoFrames.Frame frame = new FlvVideoFrames.Frame("h264", false, List.of(nal));
        assertEquals(3, out.frame(frame, 0, null).size(), "three FU-A packets, no FEC while nothing is lost");
        out.protectAgainst(0.02);
        List<byte[]> protectedFrame = out.frame(frame, 33, null);
        assertEquals(4, protectedFrame.size(), "three packets and one FEC packet");
        byte[] fec = protectedFrame.get(3);
        ByteBuffer header = ByteBuffer.wrap(fec);
        assertEquals(49, fec[1] & 0x7F, "in FlexFEC's payload type");
        assertEquals(0x3456_789A, header.getInt(8), "on its own stream");
        int payload = 12 + 4 + 4 * (header.getShort(14) & 0xFFFF);
        assertEquals(0x1234_5678, header.getInt(payload + 12), "protecting the media's");
        assertEquals(ByteBuffer.wrap(protectedFrame.getFirst()).getShort(2), header.getShort(payload + 16),
                "from the frame's first packet");
        assertTrue(out.fecShare() > 0, "the encoder is left the rest");
        out.protectAgainst(0.05);
        byte[] larger = new byte[6000];
        larger[0] = 0x41;
        assertEquals(6 + 2, out.frame(new FlvVideoFrames.Frame("h264", false, List.of(larger)), 66, null).size(),
                "losing 5 %: six packets, then the two FEC packets over them");
    }
}
