package io.rendercast.rtmp.server.webrtc;

import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN messages an ICE-lite agent answers (RFC 8489, with ICE's short-term credentials, RFC 8445): a binding
 * request is read and checked, its success response written. Only what ICE-lite needs: no long-term credentials,
 * no IPv6, no unknown comprehension-required attributes accepted.
 *
 * @param type          the message type (0x0001: binding request)
 * @param transactionId its 12-byte transaction id
 * @param username      the USERNAME attribute, or null
 * @param useCandidate  whether USE-CANDIDATE is present: the controlling agent nominates this pair
 */
public record StunMessage(int type, byte[] transactionId, String username, boolean useCandidate) {

    static final int BINDING_REQUEST = 0x0001;
    static final int BINDING_SUCCESS = 0x0101;
    private static final int MAGIC_COOKIE = 0x2112A442;
    private static final int HEADER = 20;
    private static final int USERNAME = 0x0006;
    private static final int MESSAGE_INTEGRITY = 0x0008;
    private static final int XOR_MAPPED_ADDRESS = 0x0020;
    private static final int USE_CANDIDATE = 0x0025;
    private static final int FINGERPRINT = 0x8028;
    private static final int FINGERPRINT_XOR = 0x5354554E;

    /** Whether {@code first}, a datagram's first byte, begins a STUN message (RFC 7983's demultiplexing). */
    public static boolean isStun(int first) {
        return first >= 0 && first <= 3;
    }

    /**
     * Reads a binding request, checking its MESSAGE-INTEGRITY with {@code password} (this agent's ice-pwd) and its
     * FINGERPRINT.
     *
     * @throws IllegalArgumentException what is wrong with it, for a message that is not a well-formed, authentic one
     */
    public static StunMessage readRequest(byte[] datagram, int length, String password) {
        return readRequest(datagram, length, username -> password);
    }

    /**
     * As above, with the password of the agent its USERNAME names ({@code "ours:theirs"}): one UDP port serves many
     * peers, each with an ice-pwd of its own.
     *
     * @param passwords the ice-pwd for a USERNAME (null where the message has none), or null where it names no
     *                  agent here
     */
    public static StunMessage readRequest(byte[] datagram, int length,
                                          java.util.function.Function<String, String> passwords) {
        if (length < HEADER || length > datagram.length) {
            throw new IllegalArgumentException("a STUN message has a 20-byte header, got " + length + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(datagram, 0, length);
        int type = in.getShort() & 0xFFFF;
        int bodyLength = in.getShort() & 0xFFFF;
        if (in.getInt() != MAGIC_COOKIE) {
            throw new IllegalArgumentException("not a STUN message: no magic cookie");
        }
        if (bodyLength != length - HEADER || bodyLength % 4 != 0) {
            throw new IllegalArgumentException("STUN length " + bodyLength + " for a " + length + "-byte datagram");
        }
        byte[] transaction = new byte[12];
        in.get(transaction);
        String username = null;
        boolean useCandidate = false;
        boolean integrityChecked = false;
        while (in.remaining() >= 4) {
            int at = in.position();
            int attribute = in.getShort() & 0xFFFF;
            int valueLength = in.getShort() & 0xFFFF;
            int padded = (valueLength + 3) & ~3;
            if (padded > in.remaining()) {
                throw new IllegalArgumentException("STUN attribute 0x" + Integer.toHexString(attribute)
                        + " runs past the message");
            }
            byte[] value = new byte[valueLength];
            in.get(value);
            in.position(in.position() + padded - valueLength);
            if (integrityChecked && attribute != FINGERPRINT) {
                throw new IllegalArgumentException("a STUN attribute after MESSAGE-INTEGRITY other than FINGERPRINT");
            }
            switch (attribute) {
                case USERNAME -> username = new String(value, StandardCharsets.UTF_8);
                case USE_CANDIDATE -> useCandidate = true;
                case MESSAGE_INTEGRITY -> {
                    String password = passwords.apply(username);
                    if (password == null) {
                        throw new IllegalArgumentException("a STUN request for no agent here: USERNAME "
                                + (username == null ? "missing" : "'" + cut(username) + "'"));
                    }
                    byte[] expected = integrity(datagram, at, password);
                    if (valueLength != 20 || !MessageDigest.isEqual(expected, value)) {
                        throw new IllegalArgumentException(
                                "STUN MESSAGE-INTEGRITY does not match this agent's ice-pwd");
                    }
                    integrityChecked = true;
                }
                case FINGERPRINT -> {
                    if (valueLength != 4 || ByteBuffer.wrap(value).getInt() != fingerprint(datagram, at)) {
                        throw new IllegalArgumentException("STUN FINGERPRINT does not match");
                    }
                }
                default -> {
                    if (attribute < 0x8000 && !knownAndIgnored(attribute)) {
                        throw new IllegalArgumentException("unknown comprehension-required STUN attribute 0x"
                                + Integer.toHexString(attribute));
                    }
                }
            }
        }
        if (!integrityChecked) {
            throw new IllegalArgumentException("a binding request without MESSAGE-INTEGRITY");
        }
        return new StunMessage(type, transaction, username, useCandidate);
    }

    /** PRIORITY, which ICE-lite has no use for, and XOR-MAPPED-ADDRESS, which only a response carries. */
    private static boolean knownAndIgnored(int attribute) {
        return attribute == 0x0024 || attribute == XOR_MAPPED_ADDRESS;
    }

    /**
     * The success response to this request, from an agent whose ice-pwd is {@code password}, telling the peer the
     * address it came from.
     */
    public byte[] successResponse(InetSocketAddress from, String password) {
        byte[] address = from.getAddress().getAddress();
        boolean v4 = from.getAddress() instanceof Inet4Address;
        ByteBuffer out = ByteBuffer.allocate(HEADER + 4 + 4 + address.length + 24 + 8);
        out.putShort((short) BINDING_SUCCESS).putShort((short) 0).putInt(MAGIC_COOKIE).put(transactionId);
        out.putShort((short) XOR_MAPPED_ADDRESS).putShort((short) (4 + address.length));
        out.put((byte) 0).put((byte) (v4 ? 1 : 2)).putShort((short) (from.getPort() ^ (MAGIC_COOKIE >>> 16)));
        // RFC 8489 14.2: the address XORed with the magic cookie, and for IPv6 the transaction id after it.
        byte[] mask = ByteBuffer.allocate(16).putInt(MAGIC_COOKIE).put(transactionId).array();
        for (int i = 0; i < address.length; i++) {
            out.put((byte) (address[i] ^ mask[i]));
        }
        int integrityAt = out.position();
        byte[] bytes = out.array();
        out.putShort((short) MESSAGE_INTEGRITY).putShort((short) 20).put(integrity(bytes, integrityAt, password));
        int fingerprintAt = out.position();
        out.putShort((short) FINGERPRINT).putShort((short) 4).putInt(fingerprint(bytes, fingerprintAt));
        out.putShort(2, (short) (out.position() - HEADER));
        return bytes;
    }

    /**
     * HMAC-SHA1 with {@code password} over the message before the MESSAGE-INTEGRITY attribute at {@code at}, its
     * length field counting up to the end of that attribute.
     */
    private static byte[] integrity(byte[] message, int at, String password) {
        byte[] covered = covered(message, at, 24);
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
            return mac.doFinal(covered);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA1", e);
        }
    }

    /** CRC-32 of the message before the FINGERPRINT attribute at {@code at}, its length counting that attribute. */
    private static int fingerprint(byte[] message, int at) {
        CRC32 crc = new CRC32();
        crc.update(covered(message, at, 8));
        return (int) crc.getValue() ^ FINGERPRINT_XOR;
    }

    /**
     * The message before the attribute at {@code at}, its length field counting through that attribute
     * ({@code attributeLength} bytes, header included), as MESSAGE-INTEGRITY and FINGERPRINT are computed.
     */
    private static byte[] covered(byte[] message, int at, int attributeLength) {
        byte[] covered = Arrays.copyOf(message, at);
        ByteBuffer.wrap(covered).putShort(2, (short) (at + attributeLength - HEADER));
        return covered;
    }

    private static String cut(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "..." : text;
    }
}
