package io.rendercast.rtmp.server.webrtc;

import org.bouncycastle.tls.SRTPProtectionProfile;

/**
 * One direction of SRTP and SRTCP for one peer, in the profile DTLS agreed: {@link SrtpGcm} (AEAD_AES_128_GCM,
 * which Chromium prefers) or {@link SrtpAesCm} (AES_CM_128_HMAC_SHA1_80, the one every WebRTC endpoint has, and the
 * only one GStreamer's DTLS offers). Not thread-safe: one per direction, used by one thread at a time.
 */
public sealed interface Srtp permits SrtpGcm, SrtpAesCm {

    /** The SRTP packet for {@code rtp}, a whole RTP packet whose header is {@code headerLength} bytes. */
    byte[] protect(byte[] rtp, int headerLength);

    /** The SRTCP packet for {@code rtcp}, a compound RTCP packet, numbered with this side's next SRTCP index. */
    byte[] protectRtcp(byte[] rtcp);

    /**
     * The RTCP packet inside {@code srtcp}, a whole SRTCP datagram of {@code length} bytes.
     *
     * @throws IllegalArgumentException for a packet too short, not encrypted, or whose tag does not check out
     */
    byte[] unprotectRtcp(byte[] srtcp, int length);

    /**
     * The keys of {@code profile} (a DTLS-SRTP protection profile) from DTLS's export.
     *
     * @param serverKeys the DTLS server's keys (what the server sends with), or the client's (what it receives)
     */
    static Srtp of(int profile, byte[] keyingMaterial, boolean serverKeys) {
        return switch (profile) {
            case SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM -> new SrtpGcm(keyingMaterial, serverKeys);
            case SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80 -> new SrtpAesCm(keyingMaterial, serverKeys);
            default -> throw new IllegalArgumentException("SRTP profile " + profile + " is not one this server takes");
        };
    }
}
