package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class SrtpGcmTest {

    private static final HexFormat HEX = HexFormat.of();

    /** RFC 3711 B.3: the session key and salt derived from a master key and a 112-bit master salt. */
    @Test
    void derivesRfc3711SessionKeys() throws Exception {
        byte[] masterKey = HEX.parseHex("e1f97a0d3e018be0d64fa32c06de4139");
        byte[] masterSalt = HEX.parseHex("0ec675ad498afeebb6960b3aabe6");
        assertEquals("c61e7a93744f39ee10734afe3ff7a087",
                HEX.formatHex(new SrtpMasterKey(masterKey, masterSalt).derive(0x00, 16)));
        assertEquals("30cbbc08863d8c85d49db34a9ae1",
                HEX.formatHex(new SrtpMasterKey(masterKey, masterSalt).derive(0x02, 14)));
    }

    /** A packet protected here opens with the same session key and IV, its header authenticated, not encrypted. */
    @Test
    void aProtectedPacketOpensWithTheDerivedKeyAndItsIv() throws Exception {
        byte[] material = new byte[56];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) i;
        }
        byte[] rtp = ByteBuffer.allocate(22).put((byte) 0x80).put((byte) 96).putShort((short) 7).putInt(3000)
                .putInt(0x12345678).put(HEX.parseHex("65b8000102030405060a")).array();
        byte[] srtp = new SrtpGcm(material, true).protect(rtp, 12);
        assertEquals(rtp.length + 16, srtp.length, "the tag follows the payload");
        assertArrayEquals(java.util.Arrays.copyOf(rtp, 12), java.util.Arrays.copyOf(srtp, 12), "header in clear");

        byte[] masterKey = java.util.Arrays.copyOfRange(material, 16, 32); // the server's
        byte[] masterSalt = java.util.Arrays.copyOfRange(material, 44, 56);
        byte[] key = new SrtpMasterKey(masterKey, masterSalt).derive(0x00, 16);
        byte[] salt = new SrtpMasterKey(masterKey, masterSalt).derive(0x02, 12);
        byte[] iv = ByteBuffer.allocate(12).putShort((short) 0).putInt(0x12345678).putInt(0).putShort((short) 7)
                .array();
        for (int i = 0; i < 12; i++) {
            iv[i] ^= salt[i];
        }
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
        gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        gcm.updateAAD(srtp, 0, 12);
        byte[] payload = gcm.doFinal(srtp, 12, srtp.length - 12);
        assertArrayEquals(java.util.Arrays.copyOfRange(rtp, 12, rtp.length), payload);
    }

    /** What one side protects as SRTCP the other opens with the same keys; a changed byte is refused. */
    @Test
    void srtcpOpensWithTheSameKeysAndRefusesATamperedPacket() {
        byte[] material = new byte[56];
        for (int i = 0; i < material.length; i++) {
            material[i] = (byte) (3 * i);
        }
        // A PLI (RFC 4585 6.3.1): payload-specific feedback, format 1, sender and media SSRC.
        byte[] pli = ByteBuffer.allocate(12).put((byte) 0x81).put((byte) 206).putShort((short) 2)
                .putInt(0x0BADCAFE).putInt(0x12345678).array();
        SrtpGcm browser = new SrtpGcm(material, false);
        byte[] first = browser.protectRtcp(pli);
        byte[] second = browser.protectRtcp(pli);
        assertEquals(pli.length + 16 + 4, first.length, "tag, then the index word");
        assertEquals(0x8000_0001, ByteBuffer.wrap(second).getInt(second.length - 4), "encrypted, index 1");
        SrtpGcm server = new SrtpGcm(material, false);
        assertArrayEquals(pli, server.unprotectRtcp(first, first.length));
        assertArrayEquals(pli, server.unprotectRtcp(second, second.length));
        second[9] ^= 1;
        byte[] tampered = second;
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> server.unprotectRtcp(tampered, tampered.length));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> server.unprotectRtcp(new byte[10], 10));
    }
}
