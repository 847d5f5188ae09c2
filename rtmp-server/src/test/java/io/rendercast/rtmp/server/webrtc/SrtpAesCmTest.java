package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;

/** AES_CM_128_HMAC_SHA1_80 against RFC 3711's test vectors, and SRTCP both ways. */
class SrtpAesCmTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 3711 B.3: the authentication key (label 1) from the master key and salt. */
    @Test
    void derivesRfc3711AuthenticationKey() throws Exception {
        assertEquals("cebe321f6ff7716b6fd4ab49af256a156d38baa4", HEX.formatHex(new SrtpMasterKey(
                HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139"), HEX.parseHex("0ec675ad498afeebb6960b3aabe6"))
                .derive(0x01, 20)));
    }

    /** RFC 3711 B.2: the key stream of SSRC 0, index 0 under its session key and salt. */
    @Test
    void theKeyStreamIsRfc3711s() throws Exception {
        byte[] iv = SrtpAesCm.iv(HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd"), 0, 0);
        Cipher ctr = Cipher.getInstance("AES/CTR/NoPadding");
        ctr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(HEX.parseHex("2b7e151628aed2a6abf7158809cf4f3c"), "AES"),
                new IvParameterSpec(iv));
        assertEquals("e03ead0935c95e80e166b16dd92b4eb4d23513162b02d0f72a43a2fe4a5f97ab",
                HEX.formatHex(ctr.doFinal(new byte[32])));
        assertEquals("f0f1f2f3f4f5f6f7f8f9fafbfcfd0000", HEX.formatHex(iv));
        assertEquals("f0f1f2f3e5d7c5b3f8f9fafafcff0000", HEX.formatHex(SrtpAesCm.iv(
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfd"), 0x1122_3344, 0x0001_0002L)),
                "the SSRC XORed at bytes 4 to 7, the 48-bit index at 8 to 13");
    }

    @Test
    void srtcpOpensWithTheSameKeysAndRefusesATamperedOne() {
        byte[] material = new byte[60];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (i * 7);
        }
        Srtp browser = Srtp.of(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, material, false);
        Srtp server = Srtp.of(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, material, false);
        byte[] rtcp = HEX.parseHex("81cd0003" + "11223344" + "55667788" + "00000001");
        byte[] srtcp = browser.protectRtcp(rtcp);
        assertEquals(rtcp.length + 4 + 10, srtcp.length, "the index word and an 80-bit tag");
        assertArrayEquals(rtcp, server.unprotectRtcp(srtcp, srtcp.length));
        assertThrows(IllegalArgumentException.class, () -> server.unprotectRtcp(srtcp, srtcp.length),
                "the same packet again: a replay");
        srtcp[9] ^= 1;
        assertThrows(IllegalArgumentException.class, () -> server.unprotectRtcp(srtcp, srtcp.length));
        byte[] rtp = HEX.parseHex("80600001" + "00000000" + "11223344" + "cafebabe");
        assertEquals(rtp.length + 10, Srtp.of(SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80, material, true)
                .protect(rtp, 12).length);
    }
}
