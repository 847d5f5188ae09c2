package io.rendercast.rtmp.protocol.handshake;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The digest ("complex", Flash Player 9) handshake: C1 carries an HMAC-SHA256 digest keyed with the Flash
 * Player's key; the server answers an S1 with its own digest, keyed with the Flash Media Server's key, and an S2
 * signed with a key derived from the client's digest. Clients that announce a version check both, so a server
 * that announces one must get them right.
 *
 * <p>A digest sits in one of two 764-byte blocks; its place within the block comes from the four bytes before
 * it. Scheme 0 puts the digest block first (offset bytes at 8), scheme 1 second (offset bytes at 772).
 */
public final class DigestHandshake {

    /** The version the server announces in S1 once the client proved it speaks the digest scheme. */
    static final byte[] SERVER_VERSION = {0x0D, 0x0E, 0x0A, 0x0D};

    private static final byte[] KEY_TAIL = {
            (byte) 0xF0, (byte) 0xEE, (byte) 0xC2, 0x4A, (byte) 0x80, 0x68, (byte) 0xBE, (byte) 0xE8,
            0x2E, 0x00, (byte) 0xD0, (byte) 0xD1, 0x02, (byte) 0x9E, 0x7E, 0x57,
            0x6E, (byte) 0xEC, 0x5D, 0x2D, 0x29, (byte) 0x80, 0x6F, (byte) 0xAB,
            (byte) 0x93, (byte) 0xB8, (byte) 0xE6, 0x36, (byte) 0xCF, (byte) 0xEB, 0x31, (byte) 0xAE};
    /** "Genuine Adobe Flash Player 001" and the shared tail: the client's key (its first 30 bytes sign C1). */
    static final byte[] PLAYER_KEY = concat("Genuine Adobe Flash Player 001", KEY_TAIL);
    /** "Genuine Adobe Flash Media Server 001" and the shared tail (its first 36 bytes sign S1). */
    static final byte[] SERVER_KEY = concat("Genuine Adobe Flash Media Server 001", KEY_TAIL);
    static final int PLAYER_KEY_TEXT = 30;
    static final int SERVER_KEY_TEXT = 36;
    static final int DIGEST_LENGTH = 32;

    private DigestHandshake() {
    }

    private static byte[] concat(String text, byte[] tail) {
        byte[] head = text.getBytes(StandardCharsets.US_ASCII);
        byte[] key = Arrays.copyOf(head, head.length + tail.length);
        System.arraycopy(tail, 0, key, head.length, tail.length);
        return key;
    }

    /** Where the digest of a scheme sits in a C1 or S1. */
    static int digestOffset(byte[] packet, int scheme) {
        int base = scheme == 0 ? 8 : 772;
        int sum = (packet[base] & 0xFF) + (packet[base + 1] & 0xFF) + (packet[base + 2] & 0xFF) + (packet[base + 3] & 0xFF);
        return sum % 728 + base + 4;
    }

    /** HMAC-SHA256 of a packet with the 32 digest bytes at {@code offset} left out. */
    static byte[] packetDigest(byte[] packet, int offset, byte[] key, int keyLength) {
        Mac mac = hmac(key, keyLength);
        mac.update(packet, 0, offset);
        mac.update(packet, offset + DIGEST_LENGTH, packet.length - offset - DIGEST_LENGTH);
        return mac.doFinal();
    }

    /**
     * The scheme (0 or 1) whose digest in C1 is the Flash Player's, or -1 when neither is: the client then
     * gets the simple handshake.
     */
    public static int clientScheme(byte[] c1) {
        if (c1[4] == 0 && c1[5] == 0 && c1[6] == 0 && c1[7] == 0) {
            return -1; // a zero version asks for the simple handshake
        }
        for (int scheme : new int[] {0, 1}) {
            int offset = digestOffset(c1, scheme);
            byte[] expected = packetDigest(c1, offset, PLAYER_KEY, PLAYER_KEY_TEXT);
            if (MessageDigest.isEqual(expected, Arrays.copyOfRange(c1, offset, offset + DIGEST_LENGTH))) {
                return scheme;
            }
        }
        return -1;
    }

    /** S1 for a digest client: time, the server's version, random bytes and the server's digest. */
    public static byte[] serverS1(int scheme, int uptimeMillis) {
        byte[] s1 = new byte[Handshake.PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s1);
        s1[0] = (byte) (uptimeMillis >>> 24);
        s1[1] = (byte) (uptimeMillis >>> 16);
        s1[2] = (byte) (uptimeMillis >>> 8);
        s1[3] = (byte) uptimeMillis;
        System.arraycopy(SERVER_VERSION, 0, s1, 4, 4);
        int offset = digestOffset(s1, scheme);
        System.arraycopy(packetDigest(s1, offset, SERVER_KEY, SERVER_KEY_TEXT), 0, s1, offset, DIGEST_LENGTH);
        return s1;
    }

    /**
     * S2 for a digest client: random bytes whose last 32 are their signature with a key made from the client's
     * digest, which proves the server read C1.
     */
    public static byte[] serverS2(byte[] c1, int scheme) {
        int offset = digestOffset(c1, scheme);
        Mac derive = hmac(SERVER_KEY, SERVER_KEY.length);
        derive.update(c1, offset, DIGEST_LENGTH);
        byte[] key = derive.doFinal();
        byte[] s2 = new byte[Handshake.PACKET_SIZE];
        ThreadLocalRandom.current().nextBytes(s2);
        Mac sign = hmac(key, key.length);
        sign.update(s2, 0, Handshake.PACKET_SIZE - DIGEST_LENGTH);
        System.arraycopy(sign.doFinal(), 0, s2, Handshake.PACKET_SIZE - DIGEST_LENGTH, DIGEST_LENGTH);
        return s2;
    }

    private static Mac hmac(byte[] key, int keyLength) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, 0, keyLength, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no HmacSHA256, which every JDK must have", e);
        }
    }
}
