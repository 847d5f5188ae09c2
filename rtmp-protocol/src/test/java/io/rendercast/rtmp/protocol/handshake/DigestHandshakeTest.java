package io.rendercast.rtmp.protocol.handshake;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.util.Arrays;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The digest handshake, checked here with an independent HMAC written from the published algorithm; ffmpeg and
 * librtmp check it for real in the demo's interop tests.
 */
@ExtendWith(LeakCheckExtension.class)
class DigestHandshakeTest {

    private static byte[] hmac(byte[] key, byte[]... parts) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        for (byte[] part : parts) {
            mac.update(part);
        }
        return mac.doFinal();
    }

    /** A Flash Player's C1: version 9.0.124.2 and its digest at the given scheme. */
    private static byte[] playerC1(int scheme) throws Exception {
        byte[] c1 = new byte[1536];
        new Random(scheme).nextBytes(c1);
        c1[4] = 9;
        c1[5] = 0;
        c1[6] = 124;
        c1[7] = 2;
        int base = scheme == 0 ? 8 : 772;
        int offset = ((c1[base] & 0xFF) + (c1[base + 1] & 0xFF) + (c1[base + 2] & 0xFF) + (c1[base + 3] & 0xFF)) % 728
                + base + 4;
        byte[] digest = hmac(Arrays.copyOf("Genuine Adobe Flash Player 001".getBytes(), 30),
                Arrays.copyOfRange(c1, 0, offset), Arrays.copyOfRange(c1, offset + 32, 1536));
        System.arraycopy(digest, 0, c1, offset, 32);
        return c1;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void answersAPlayersDigestWithAServerDigestAndASignedS2(int scheme) throws Exception {
        byte[] c1 = playerC1(scheme);
        assertEquals(scheme, DigestHandshake.clientScheme(c1));
        ByteBuf out = Unpooled.buffer();
        assertEquals(scheme, Handshake.writeServerPackets(out, Unpooled.wrappedBuffer(c1), 1000));
        byte[] s1 = ByteBufUtil.getBytes(out, 1, 1536);
        byte[] s2 = ByteBufUtil.getBytes(out, 1537, 1536);
        out.release();
        assertArrayEquals(new byte[] {0x0D, 0x0E, 0x0A, 0x0D}, Arrays.copyOfRange(s1, 4, 8), "server announces a version");

        // What a client does: find the server digest in S1 at the same scheme, keyed with the FMS text.
        int base = scheme == 0 ? 8 : 772;
        int offset = ((s1[base] & 0xFF) + (s1[base + 1] & 0xFF) + (s1[base + 2] & 0xFF) + (s1[base + 3] & 0xFF)) % 728
                + base + 4;
        byte[] serverText = Arrays.copyOf("Genuine Adobe Flash Media Server 001".getBytes(), 36);
        assertArrayEquals(hmac(serverText, Arrays.copyOfRange(s1, 0, offset), Arrays.copyOfRange(s1, offset + 32, 1536)),
                Arrays.copyOfRange(s1, offset, offset + 32), "S1 digest");

        // ... and check S2's signature with a key derived from its own digest and the full FMS key.
        int clientOffset = DigestHandshake.digestOffset(c1, scheme);
        byte[] derived = hmac(DigestHandshake.SERVER_KEY, Arrays.copyOfRange(c1, clientOffset, clientOffset + 32));
        assertArrayEquals(hmac(derived, Arrays.copyOfRange(s2, 0, 1504)), Arrays.copyOfRange(s2, 1504, 1536),
                "S2 signature");
    }

    @Test
    void givesTheSimpleHandshakeToAClientWithoutAValidDigest() throws Exception {
        byte[] c1 = playerC1(0);
        c1[100] ^= 1; // breaks the digest
        assertEquals(-1, DigestHandshake.clientScheme(c1));
        ByteBuf out = Unpooled.buffer();
        assertEquals(-1, Handshake.writeServerPackets(out, Unpooled.wrappedBuffer(c1), 0));
        assertEquals(0, out.getInt(5), "zero version in S1");
        assertArrayEquals(c1, ByteBufUtil.getBytes(out, 1537, 1536), "S2 echoes C1");
        out.release();
        byte[] zeroVersion = new byte[1536];
        assertEquals(-1, DigestHandshake.clientScheme(zeroVersion));
    }

    @Test
    void keysAreThePublishedOnes() {
        assertEquals(62, DigestHandshake.PLAYER_KEY.length);
        assertEquals(68, DigestHandshake.SERVER_KEY.length);
        assertEquals("f0eec24a8068bee82e00d0d1029e7e576eec5d2d29806fab93b8e636cfeb31ae",
                ByteBufUtil.hexDump(DigestHandshake.SERVER_KEY, 36, 32));
        assertFalse(Arrays.equals(DigestHandshake.PLAYER_KEY, 0, 30, DigestHandshake.SERVER_KEY, 0, 30));
    }
}
