package io.rendercast.rtmp.server.webrtc;

import java.util.ArrayList;
import java.util.List;

/**
 * The server's SDP answer to a WHEP offer: ICE-lite with one host candidate, DTLS as the passive side, the offer's
 * video section answered send-only in the stream's codec, H.264 or AV1 (and RTX where offered) with NACK, PLI and FIR feedback, transport-wide
 * congestion control's sequence numbers and a playout delay of 0 to 100 ms where offered, FlexFEC on a stream of its
 * own where offered and sent, the data channels' section bundled
 * with it, every other
 * section refused (port 0), as RFC 8829 5.3.1 answers a section it does not take.
 */
final class SdpAnswer {

    private SdpAnswer() {
    }

    /**
     * @param codec   the offer's codec the stream plays in
     * @param fecSsrc the SSRC of FlexFEC's stream, or 0: none sent
     */
    static String write(SdpOffer offer, SdpOffer.VideoCodec codec, String host, int port, String ufrag,
                        String password, String fingerprint, int ssrc, int rtxSsrc, int fecSsrc) {
        boolean fec = fecSsrc != 0 && offer.flexfecPayloadType() >= 0;
        String pt = String.valueOf(codec.payloadType());
        boolean rtx = codec.rtxPayloadType() >= 0 && rtxSsrc != 0;
        String ip = host.contains(":") ? "IP6" : "IP4";
        List<String> lines = new ArrayList<>(List.of(
                "v=0",
                "o=rendercast " + Integer.toUnsignedString(ssrc) + " 1 IN " + ip + " " + host,
                "s=-",
                "t=0 0",
                "a=group:BUNDLE " + offer.videoMid() + (offer.dataMid() == null ? "" : " " + offer.dataMid()),
                "a=ice-lite"));
        for (SdpOffer.Section section : offer.sections()) {
            if (section.mid().equals(offer.dataMid())) {
                // The data channels, bundled on the same port: SCTP over the same DTLS.
                lines.add("m=application " + port + " UDP/DTLS/SCTP webrtc-datachannel");
                lines.add("c=IN " + ip + " " + host);
                lines.add("a=mid:" + section.mid());
                lines.add("a=ice-ufrag:" + ufrag);
                lines.add("a=ice-pwd:" + password);
                lines.add("a=fingerprint:sha-256 " + fingerprint);
                lines.add("a=setup:passive");
                lines.add("a=sctp-port:" + offer.sctpPort());
                lines.add("a=max-message-size:" + SctpAssociation.MOST_HELD);
                continue;
            }
            if (!section.mid().equals(offer.videoMid())) {
                lines.add("m=" + section.kind() + " 0 UDP/TLS/RTP/SAVPF 0");
                lines.add("c=IN " + ip + " " + host);
                lines.add("a=mid:" + section.mid());
                lines.add("a=inactive");
                continue;
            }
            lines.add("m=video " + port + " UDP/TLS/RTP/SAVPF " + pt + (rtx ? " " + codec.rtxPayloadType() : "")
                    + (fec ? " " + offer.flexfecPayloadType() : ""));
            lines.add("c=IN " + ip + " " + host);
            lines.add("a=mid:" + section.mid());
            lines.add("a=sendonly");
            lines.add("a=rtcp-mux");
            lines.add("a=rtcp-rsize");
            lines.add("a=ice-ufrag:" + ufrag);
            lines.add("a=ice-pwd:" + password);
            lines.add("a=fingerprint:sha-256 " + fingerprint);
            lines.add("a=setup:passive");
            lines.add("a=rtpmap:" + pt + (codec.name().equals("av1") ? " AV1/90000" : " H264/90000"));
            if (!codec.fmtp().isEmpty()) {
                lines.add("a=fmtp:" + pt + " " + codec.fmtp());
            }
            lines.add("a=rtcp-fb:" + pt + " nack");
            lines.add("a=rtcp-fb:" + pt + " nack pli");
            lines.add("a=rtcp-fb:" + pt + " ccm fir");
            if (offer.transportCcId() > 0) {
                lines.add("a=rtcp-fb:" + pt + " transport-cc");
                lines.add("a=extmap:" + offer.transportCcId() + " " + SdpOffer.TRANSPORT_CC);
            }
            if (offer.playoutDelayId() > 0) {
                lines.add("a=extmap:" + offer.playoutDelayId() + " " + SdpOffer.PLAYOUT_DELAY);
            }
            if (offer.absCaptureTimeId() > 0) {
                lines.add("a=extmap:" + offer.absCaptureTimeId() + " " + SdpOffer.ABS_CAPTURE_TIME);
            }
            if (rtx) {
                lines.add("a=rtpmap:" + codec.rtxPayloadType() + " rtx/90000");
                lines.add("a=fmtp:" + codec.rtxPayloadType() + " apt=" + pt);
            }
            if (fec) {
                // Chromium's own sender gives this repair window (in microseconds): how far back FEC may reach.
                lines.add("a=rtpmap:" + offer.flexfecPayloadType() + " flexfec-03/90000");
                lines.add("a=fmtp:" + offer.flexfecPayloadType() + " repair-window=10000000");
            }
            if (rtx) {
                lines.add("a=ssrc-group:FID " + Integer.toUnsignedString(ssrc) + " "
                        + Integer.toUnsignedString(rtxSsrc));
            }
            if (fec) {
                lines.add("a=ssrc-group:FEC-FR " + Integer.toUnsignedString(ssrc) + " "
                        + Integer.toUnsignedString(fecSsrc));
            }
            lines.add("a=ssrc:" + Integer.toUnsignedString(ssrc) + " cname:rendercast");
            if (rtx) {
                lines.add("a=ssrc:" + Integer.toUnsignedString(rtxSsrc) + " cname:rendercast");
            }
            if (fec) {
                lines.add("a=ssrc:" + Integer.toUnsignedString(fecSsrc) + " cname:rendercast");
            }
            lines.add("a=candidate:1 1 udp 2130706431 " + host + " " + port + " typ host");
            lines.add("a=end-of-candidates");
        }
        return String.join("\r\n", lines) + "\r\n";
    }
}
