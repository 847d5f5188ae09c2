package io.rendercast.rtmp.server.webrtc;

import java.util.ArrayList;
import java.util.List;

/**
 * H.264 into RTP payloads (RFC 6184, packetization mode 1): a NAL unit that fits a packet goes as it is (single NAL
 * unit packet), a larger one in FU-A fragments; the last payload of an access unit is marked, for the RTP header's
 * marker bit. Headers are {@link RtpOut}'s.
 */
final class H264RtpPacketizer {

    private static final int FU_A = 28;

    /** One packet's payload, and whether it ends its access unit. */
    record Payload(byte[] data, boolean marker) {
    }

    private final int mostPayload;

    /** @param mostPayload the most bytes of payload in one packet (what fits the path's MTU after the headers) */
    H264RtpPacketizer(int mostPayload) {
        this.mostPayload = mostPayload;
    }

    /** The payloads of one access unit, its NAL units without start codes. */
    List<Payload> packetize(List<byte[]> nalUnits) {
        List<Payload> payloads = new ArrayList<>();
        for (int n = 0; n < nalUnits.size(); n++) {
            byte[] nal = nalUnits.get(n);
            boolean lastNal = n == nalUnits.size() - 1;
            if (nal.length <= mostPayload) {
                payloads.add(new Payload(nal, lastNal));
                continue;
            }
            byte indicator = (byte) ((nal[0] & 0xE0) | FU_A);
            int type = nal[0] & 0x1F;
            int chunk = mostPayload - 2;
            for (int at = 1; at < nal.length; at += chunk) {
                int length = Math.min(chunk, nal.length - at);
                boolean start = at == 1;
                boolean end = at + length == nal.length;
                byte[] fragment = new byte[2 + length];
                fragment[0] = indicator;
                fragment[1] = (byte) ((start ? 0x80 : 0) | (end ? 0x40 : 0) | type);
                System.arraycopy(nal, at, fragment, 2, length);
                payloads.add(new Payload(fragment, lastNal && end));
            }
        }
        return payloads;
    }
}
