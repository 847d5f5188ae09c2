package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which of an offer's H.264 payload types a stream goes out in: the one whose profile holds the stream's. */
class SdpOfferTest {

    /** An offer's video section as Chromium writes it, with the H.264 profiles given as payload type and id. */
    private static SdpOffer offer(String... h264) {
        StringBuilder types = new StringBuilder("96");
        StringBuilder lines = new StringBuilder("a=rtpmap:96 VP8/90000\r\n");
        for (int i = 0; i < h264.length; i += 2) {
            types.append(' ').append(h264[i]);
            lines.append("a=rtpmap:").append(h264[i]).append(" H264/90000\r\n").append("a=fmtp:").append(h264[i])
                    .append(" level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=").append(h264[i + 1])
                    .append("\r\n");
        }
        return SdpOffer.parse(String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "m=video 9 UDP/TLS/RTP/SAVPF " + types, "c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd",
                "a=ice-pwd:0123456789012345678901", "a=fingerprint:sha-256 AA:BB", "a=setup:actpass", "a=mid:0",
                "a=recvonly", "") + lines);
    }

    @Test
    void aStreamGoesOutInTheLeastOfferedProfileThatHoldsIt() {
        SdpOffer chromium = offer("102", "42001f", "104", "42e01f", "106", "4d001f", "108", "640c1f");
        assertEquals(List.of("baseline", "main", "high"),
                chromium.codecs().stream().map(SdpOffer.VideoCodec::h264Profile).toList(),
                "one payload type per profile, the offer's first: " + chromium.codecs());
        assertEquals(102, chromium.codecFor("h264", "baseline").payloadType());
        assertEquals(106, chromium.codecFor("h264", "main").payloadType());
        assertEquals(108, chromium.codecFor("h264", "high").payloadType());
        assertEquals("high", chromium.highestH264Profile());
    }

    @Test
    void withoutTheStreamsProfileTheHighestOfferedIsAnswered() {
        SdpOffer noHigh = offer("104", "42e01f", "106", "4d001f");
        assertEquals("main", noHigh.highestH264Profile(), "what the server sets a player's own encoder to");
        assertEquals(106, noHigh.codecFor("h264", "high").payloadType(), "a stream the application opened at high");
        assertEquals(106, noHigh.codecFor("h264", "profile_idc 244").payloadType());
        assertNull(noHigh.codecFor("av1", null));
        assertEquals("baseline", SdpOffer.h264ProfileOf("packetization-mode=1"), "RFC 6184's default, 42000a");
        assertNull(SdpOffer.h264ProfileOf("profile-level-id=f4001f"), "High 4:4:4 is not sent here");
    }

    /** Chromium's offer lists FlexFEC; the answer sends it back with its stream, in a FEC-FR group with the media. */
    @Test
    void flexFecIsAnsweredWithAStreamOfItsOwn() {
        SdpOffer offer = SdpOffer.parse(offerText("a=rtpmap:116 red/90000\r\na=rtpmap:118 ulpfec/90000\r\n"
                + "a=rtpmap:49 flexfec-03/90000\r\na=fmtp:49 repair-window=10000000\r\n"));
        assertEquals(49, offer.flexfecPayloadType());
        assertEquals(-1, SdpOffer.parse(offerText("a=rtpmap:118 ulpfec/90000\r\n")).flexfecPayloadType());
        String answer = SdpAnswer.write(offer, offer.codec("h264"), "127.0.0.1", 8189, "u", "p", "AA", 1, 2, 3);
        assertTrue(answer.contains("m=video 8189 UDP/TLS/RTP/SAVPF 102 49\r\n")
                && answer.contains("a=rtpmap:49 flexfec-03/90000\r\n")
                && answer.contains("a=ssrc-group:FEC-FR 1 3\r\n") && answer.contains("a=ssrc:3 cname:rendercast"),
                answer);
        String withoutFec = SdpAnswer.write(offer, offer.codec("h264"), "127.0.0.1", 8189, "u", "p", "AA", 1, 2, 0);
        assertFalse(withoutFec.contains("flexfec"), withoutFec);
    }

    /** The absolute capture time, which the viewer page adds to Chromium's offer, is answered under its id. */
    @Test
    void absoluteCaptureTimeIsAnsweredWhereOffered() {
        SdpOffer offer = SdpOffer.parse(offerText("a=extmap:5 http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
                + "\r\na=extmap:12 " + SdpOffer.ABS_CAPTURE_TIME + "\r\n"));
        assertEquals(12, offer.absCaptureTimeId());
        assertEquals(5, offer.playoutDelayId());
        String answer = SdpAnswer.write(offer, offer.codec("h264"), "127.0.0.1", 8189, "u", "p", "AA", 1, 2, 0);
        assertTrue(answer.contains("a=extmap:12 " + SdpOffer.ABS_CAPTURE_TIME + "\r\n"), answer);
        assertEquals(-1, SdpOffer.parse(offerText("")).absCaptureTimeId(), "Chromium's own offer has none");
    }

    private static String offerText(String extraLines) {
        return String.join("\r\n", "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0",
                "m=video 9 UDP/TLS/RTP/SAVPF 102 116 118 49", "c=IN IP4 0.0.0.0", "a=fingerprint:sha-256 AA:BB",
                "a=mid:0", "a=rtpmap:102 H264/90000", "a=fmtp:102 packetization-mode=1;profile-level-id=42e01f", "")
                + extraLines;
    }
}
