package io.rendercast.rtmp.server.webrtc;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * One side's SRTP master key and master salt, and the session keys SRTP derives from them (RFC 3711 4.3, with a key
 * derivation rate of 0), whichever profile they serve.
 */
record SrtpMasterKey(byte[] key, byte[] salt) {

    /**
     * One side's from DTLS's export for "EXTRACTOR-dtls_srtp": the client's key, the server's, the client's salt and
     * the server's (RFC 5764 4.2).
     *
     * @param serverKeys the DTLS server's (what the server sends with), or the client's (what it receives)
     * @param profile    the profile's name, for the error when the export is not of its size
     */
    static SrtpMasterKey fromDtls(byte[] keyingMaterial, boolean serverKeys, int keyLength, int saltLength,
                                  String profile) {
        if (keyingMaterial.length != 2 * (keyLength + saltLength)) {
            throw new IllegalArgumentException(profile + " takes " + 2 * (keyLength + saltLength) + " bytes of keying "
                    + "material, got " + keyingMaterial.length);
        }
        byte[] key = new byte[keyLength];
        byte[] salt = new byte[saltLength];
        System.arraycopy(keyingMaterial, serverKeys ? keyLength : 0, key, 0, keyLength);
        System.arraycopy(keyingMaterial, 2 * keyLength + (serverKeys ? saltLength : 0), salt, 0, saltLength);
        return new SrtpMasterKey(key, salt);
    }

    /**
     * The session key, salt or authentication key of {@code label}: AES in counter mode under the master key, from
     * the master salt with the label at byte 7, its first {@code length} bytes of key stream.
     */
    byte[] derive(int label, int length) throws GeneralSecurityException {
        byte[] iv = new byte[16];
        System.arraycopy(salt, 0, iv, 0, salt.length);
        iv[7] ^= (byte) label;
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new IvParameterSpec(iv));
        return ctr.doFinal(new byte[length]);
    }
}
