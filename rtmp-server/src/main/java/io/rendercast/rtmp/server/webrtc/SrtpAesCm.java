package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP with AES_CM_128_HMAC_SHA1_80 (RFC 3711), the profile every WebRTC endpoint must have (RFC 8827)
 * and the only one GStreamer's DTLS offers, for one direction of one peer: session keys derived as RFC 3711 4.3
 * says ({@link SrtpMasterKey#derive}); the payload in AES counter mode from an IV of the session salt, the SSRC and the
 * packet index (4.1.1); an 80-bit HMAC-SHA1 tag over the packet and the rollover counter (RTP) or the packet and the
 * E flag with the SRTCP index (RTCP). Not thread-safe: one per direction, used by one thread at a time.
 */
public final class SrtpAesCm implements Srtp {

    private static final int KEY = 16;
    private static final int SALT = 14;
    private static final int AUTH_KEY = 20;
    private static final int TAG_BYTES = 10;
    /** The E flag of SRTCP's index word: the packet's payload is encrypted. */
    private static final int ENCRYPTED = 0x8000_0000;

    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final Mac rtpAuth;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Mac rtcpAuth;
    private final Cipher ctr;
    private final Rollovers rollovers = new Rollovers();
    private final SrtcpReplays replays = new SrtcpReplays();
    private int rtcpIndex;

    /**
     * @param keyingMaterial DTLS's export for "EXTRACTOR-dtls_srtp": the client's key, the server's, the client's salt
     *                       and the server's (RFC 5764 4.2)
     * @param serverKeys     the DTLS server's keys (what the server sends with), or the client's (what it receives)
     */
    public SrtpAesCm(byte[] keyingMaterial, boolean serverKeys) {
        SrtpMasterKey master = SrtpMasterKey.fromDtls(keyingMaterial, serverKeys, KEY, SALT,
                "AES_CM_128_HMAC_SHA1_80");
        try {
            rtpKey = new SecretKeySpec(master.derive(0x00, KEY), "AES");
            rtpAuth = hmac(master.derive(0x01, AUTH_KEY));
            rtpSalt = master.derive(0x02, SALT);
            rtcpKey = new SecretKeySpec(master.derive(0x03, KEY), "AES");
            rtcpAuth = hmac(master.derive(0x04, AUTH_KEY));
            rtcpSalt = master.derive(0x05, SALT);
            ctr = Cipher.getInstance("AES/CTR/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES-CTR or HMAC-SHA1", e);
        }
    }

    private static Mac hmac(byte[] key) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(key, "HmacSHA1"));
        return mac;
    }

    @Override
    public byte[] protect(byte[] rtp, int headerLength) {
        ByteBuffer packet = ByteBuffer.wrap(rtp);
        int sequence = packet.getShort(2) & 0xFFFF;
        int ssrc = packet.getInt(8);
        int rollover = rollovers.next(ssrc, sequence);
        byte[] out = new byte[rtp.length + TAG_BYTES];
        System.arraycopy(rtp, 0, out, 0, headerLength);
        crypt(rtpKey, iv(rtpSalt, ssrc, (long) rollover << 16 | sequence), rtp, headerLength, out);
        rtpAuth.update(out, 0, rtp.length);
        rtpAuth.update(ByteBuffer.allocate(4).putInt(rollover).array());
        System.arraycopy(rtpAuth.doFinal(), 0, out, rtp.length, TAG_BYTES);
        return out;
    }

    @Override
    public byte[] protectRtcp(byte[] rtcp) {
        if (rtcp.length < 8) {
            throw new IllegalArgumentException("an RTCP packet has an 8-byte header, got " + rtcp.length);
        }
        int index = rtcpIndex;
        rtcpIndex = (rtcpIndex + 1) & 0x7FFF_FFFF;
        byte[] out = new byte[rtcp.length + 4 + TAG_BYTES];
        System.arraycopy(rtcp, 0, out, 0, 8);
        crypt(rtcpKey, iv(rtcpSalt, ByteBuffer.wrap(rtcp).getInt(4), index), rtcp, 8, out);
        ByteBuffer.wrap(out).putInt(rtcp.length, ENCRYPTED | index);
        rtcpAuth.update(out, 0, rtcp.length + 4);
        System.arraycopy(rtcpAuth.doFinal(), 0, out, rtcp.length + 4, TAG_BYTES);
        return out;
    }

    @Override
    public byte[] unprotectRtcp(byte[] srtcp, int length) {
        if (length < 8 + 4 + TAG_BYTES) {
            throw new IllegalArgumentException("an SRTCP packet of " + length + " bytes is too short");
        }
        int signed = length - TAG_BYTES;
        rtcpAuth.update(srtcp, 0, signed);
        byte[] tag = java.util.Arrays.copyOf(rtcpAuth.doFinal(), TAG_BYTES);
        if (!MessageDigest.isEqual(tag, java.util.Arrays.copyOfRange(srtcp, signed, length))) {
            throw new IllegalArgumentException("an SRTCP packet whose tag does not check out");
        }
        int word = ByteBuffer.wrap(srtcp).getInt(signed - 4);
        if ((word & ENCRYPTED) == 0) {
            throw new IllegalArgumentException("an SRTCP packet that is not encrypted: refused");
        }
        replays.take(ByteBuffer.wrap(srtcp).getInt(4), word & 0x7FFF_FFFF);
        byte[] rtcp = java.util.Arrays.copyOf(srtcp, signed - 4);
        crypt(rtcpKey, iv(rtcpSalt, ByteBuffer.wrap(srtcp).getInt(4), word & 0x7FFF_FFFF),
                java.util.Arrays.copyOf(srtcp, signed - 4), 8, rtcp);
        return rtcp;
    }

    /** RFC 3711 4.1.1: the session salt, XORed with the SSRC at bytes 4 to 7 and the 48-bit index at 8 to 13. */
    static byte[] iv(byte[] salt, int ssrc, long index) {
        byte[] iv = new byte[16];
        ByteBuffer.wrap(iv).putInt(4, ssrc).putShort(8, (short) (index >>> 32)).putInt(10, (int) index);
        for (int i = 0; i < salt.length; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    /** {@code in} from {@code from} on, XORed with the key stream, into {@code out} at the same place. */
    private void crypt(SecretKeySpec key, byte[] iv, byte[] in, int from, byte[] out) {
        try {
            ctr.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(iv));
            ctr.doFinal(in, from, in.length - from, out, from);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-CTR refused a packet", e);
        }
    }
}
