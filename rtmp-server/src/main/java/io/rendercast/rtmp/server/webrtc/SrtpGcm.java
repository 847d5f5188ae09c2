package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SRTP and SRTCP with AEAD_AES_128_GCM (RFC 7714), the profile Chromium prefers, for one direction of one peer:
 * session keys derived from DTLS's exported master key and salt by SRTP's key derivation (RFC 3711 4.3, as RFC 7714
 * 11 keeps it); for RTP the 12-byte IV from the SSRC, rollover counter and sequence number and the header as
 * associated data; for RTCP the IV from the SSRC and the SRTCP index, the first eight bytes and the index word as
 * associated data, the index word at the end. Not thread-safe: one per direction, used by one thread at a time.
 */
public final class SrtpGcm implements Srtp {

    private static final int KEY = 16;
    private static final int SALT = 12;
    private static final int TAG_BYTES = 16;
    /** The E flag of SRTCP's index word: the packet's payload is encrypted. */
    private static final int ENCRYPTED = 0x8000_0000;

    private final SecretKeySpec rtpKey;
    private final byte[] rtpSalt;
    private final SecretKeySpec rtcpKey;
    private final byte[] rtcpSalt;
    private final Cipher gcm;
    private final Rollovers rollovers = new Rollovers();
    private final SrtcpReplays replays = new SrtcpReplays();
    private int rtcpIndex;

    /**
     * @param keyingMaterial DTLS's export for "EXTRACTOR-dtls_srtp": the client's key, the server's, the client's salt
     *                       and the server's (RFC 5764 4.2)
     * @param serverKeys     the DTLS server's keys (what the server sends with), or the client's (what it receives)
     */
    public SrtpGcm(byte[] keyingMaterial, boolean serverKeys) {
        SrtpMasterKey master = SrtpMasterKey.fromDtls(keyingMaterial, serverKeys, KEY, SALT, "AEAD_AES_128_GCM");
        try {
            rtpKey = new SecretKeySpec(master.derive(0x00, KEY), "AES");
            rtpSalt = master.derive(0x02, SALT);
            rtcpKey = new SecretKeySpec(master.derive(0x03, KEY), "AES");
            rtcpSalt = master.derive(0x05, SALT);
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES-CTR or AES-GCM", e);
        }
    }

    @Override
    public byte[] protect(byte[] rtp, int headerLength) {
        ByteBuffer packet = ByteBuffer.wrap(rtp);
        int sequence = packet.getShort(2) & 0xFFFF;
        int ssrc = packet.getInt(8);
        byte[] iv = iv(rtpSalt, ssrc, rollovers.next(ssrc, sequence), sequence);
        return seal(rtpKey, iv, rtp, headerLength, null);
    }

    @Override
    public byte[] protectRtcp(byte[] rtcp) {
        if (rtcp.length < 8) {
            throw new IllegalArgumentException("an RTCP packet has an 8-byte header, got " + rtcp.length);
        }
        int index = rtcpIndex;
        rtcpIndex = (rtcpIndex + 1) & 0x7FFF_FFFF;
        byte[] word = ByteBuffer.allocate(4).putInt(ENCRYPTED | index).array();
        byte[] iv = iv(rtcpSalt, ByteBuffer.wrap(rtcp).getInt(4), 0, 0);
        ByteBuffer.wrap(iv).putInt(8, ByteBuffer.wrap(iv).getInt(8) ^ index);
        byte[] sealed = seal(rtcpKey, iv, rtcp, 8, word);
        byte[] out = java.util.Arrays.copyOf(sealed, sealed.length + 4);
        System.arraycopy(word, 0, out, sealed.length, 4);
        return out;
    }

    @Override
    public byte[] unprotectRtcp(byte[] srtcp, int length) {
        if (length < 8 + TAG_BYTES + 4) {
            throw new IllegalArgumentException("an SRTCP packet of " + length + " bytes is too short");
        }
        int word = ByteBuffer.wrap(srtcp).getInt(length - 4);
        if ((word & ENCRYPTED) == 0) {
            throw new IllegalArgumentException("an SRTCP packet that is not encrypted: refused");
        }
        int index = word & 0x7FFF_FFFF;
        byte[] iv = iv(rtcpSalt, ByteBuffer.wrap(srtcp).getInt(4), 0, 0);
        ByteBuffer.wrap(iv).putInt(8, ByteBuffer.wrap(iv).getInt(8) ^ index);
        try {
            gcm.init(Cipher.DECRYPT_MODE, rtcpKey, new GCMParameterSpec(TAG_BYTES * 8, iv));
            gcm.updateAAD(srtcp, 0, 8);
            gcm.updateAAD(srtcp, length - 4, 4);
            byte[] out = new byte[length - 4 - TAG_BYTES];
            System.arraycopy(srtcp, 0, out, 0, 8);
            gcm.doFinal(srtcp, 8, length - 4 - 8, out, 8);
            replays.take(ByteBuffer.wrap(srtcp).getInt(4), index);
            return out;
        } catch (AEADBadTagException e) {
            throw new IllegalArgumentException("an SRTCP packet whose tag does not check out");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused a packet", e);
        }
    }

    /** RFC 7714 8.1 and 9.1: two zero bytes, the SSRC, then four bytes and two, XORed with the session salt. */
    private static byte[] iv(byte[] salt, int ssrc, int high, int low) {
        byte[] iv = new byte[12];
        ByteBuffer.wrap(iv).putShort((short) 0).putInt(ssrc).putInt(high).putShort((short) low);
        for (int i = 0; i < iv.length; i++) {
            iv[i] ^= salt[i];
        }
        return iv;
    }

    private byte[] seal(SecretKeySpec key, byte[] iv, byte[] packet, int clear, byte[] moreAad) {
        try {
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BYTES * 8, iv));
            gcm.updateAAD(packet, 0, clear);
            if (moreAad != null) {
                gcm.updateAAD(moreAad);
            }
            byte[] out = new byte[clear + gcm.getOutputSize(packet.length - clear)];
            System.arraycopy(packet, 0, out, 0, clear);
            gcm.doFinal(packet, clear, packet.length - clear, out, clear);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused a packet", e);
        }
    }
}
