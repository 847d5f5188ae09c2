package io.rendercast.browser.webrtc;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Protects outgoing RTP packets with SRTP's AEAD_AES_128_GCM (RFC 7714), the profile Chromium prefers: session
 * keys derived from DTLS's exported master key and salt by SRTP's key derivation (RFC 3711 4.3, as RFC 7714 11
 * keeps it), the 12-byte IV from the SSRC, rollover counter and sequence number, the RTP header as associated data
 * and a 16-byte tag. One sender, one SSRC; not thread-safe.
 */
public final class SrtpGcmSender {

    private static final int KEY = 16;
    private static final int SALT = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec sessionKey;
    private final byte[] sessionSalt;
    private final Cipher gcm;
    private long rolloverCounter;
    private int lastSequence = -1;

    /**
     * @param keyingMaterial DTLS's export for "EXTRACTOR-dtls_srtp": the client's key, the server's, the client's salt
     *                       and the server's (RFC 5764 4.2)
     * @param server         whether this side is DTLS's server, which sends with the server's key and salt
     */
    public SrtpGcmSender(byte[] keyingMaterial, boolean server) {
        if (keyingMaterial.length != 2 * (KEY + SALT)) {
            throw new IllegalArgumentException("AEAD_AES_128_GCM takes 56 bytes of keying material, got "
                    + keyingMaterial.length);
        }
        byte[] masterKey = new byte[KEY];
        byte[] masterSalt = new byte[SALT];
        System.arraycopy(keyingMaterial, server ? KEY : 0, masterKey, 0, KEY);
        System.arraycopy(keyingMaterial, 2 * KEY + (server ? SALT : 0), masterSalt, 0, SALT);
        try {
            sessionKey = new SecretKeySpec(derive(masterKey, masterSalt, 0x00, KEY), "AES");
            sessionSalt = derive(masterKey, masterSalt, 0x02, SALT);
            gcm = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no AES-CTR or AES-GCM", e);
        }
    }

    /**
     * SRTP's key derivation with a key derivation rate of 0: AES in counter mode under the master key, from the
     * master salt with the label at byte 7, its first {@code length} bytes of key stream.
     */
    static byte[] derive(byte[] masterKey, byte[] masterSalt, int label, int length) throws GeneralSecurityException {
        byte[] iv = new byte[16];
        System.arraycopy(masterSalt, 0, iv, 0, masterSalt.length);
        iv[7] ^= (byte) label;
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(masterKey, "AES"), new IvParameterSpec(iv));
        return ctr.doFinal(new byte[length]);
    }

    /** The SRTP packet for {@code rtp}, a whole RTP packet whose header is {@code headerLength} bytes. */
    public byte[] protect(byte[] rtp, int headerLength) {
        ByteBuffer packet = ByteBuffer.wrap(rtp);
        int sequence = packet.getShort(2) & 0xFFFF;
        int ssrc = packet.getInt(8);
        if (lastSequence >= 0 && sequence < lastSequence && lastSequence - sequence > 0x8000) {
            rolloverCounter++; // the sequence number wrapped
        }
        lastSequence = sequence;
        byte[] iv = new byte[12];
        ByteBuffer.wrap(iv).putShort((short) 0).putInt(ssrc).putInt((int) rolloverCounter).putShort((short) sequence);
        for (int i = 0; i < iv.length; i++) {
            iv[i] ^= sessionSalt[i];
        }
        try {
            gcm.init(Cipher.ENCRYPT_MODE, sessionKey, new GCMParameterSpec(TAG_BITS, iv));
            gcm.updateAAD(rtp, 0, headerLength);
            byte[] out = new byte[headerLength + gcm.getOutputSize(rtp.length - headerLength)];
            System.arraycopy(rtp, 0, out, 0, headerLength);
            gcm.doFinal(rtp, headerLength, rtp.length - headerLength, out, headerLength);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM refused a packet", e);
        }
    }
}
