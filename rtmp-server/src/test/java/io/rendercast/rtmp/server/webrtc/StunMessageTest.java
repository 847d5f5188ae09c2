package io.rendercast.rtmp.server.webrtc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class StunMessageTest {

    /** RFC 5769 2.1: a binding request with ICE's attributes, short-term credentials and a fingerprint. */
    private static final byte[] RFC5769_REQUEST = HexFormat.of().parseHex(
            "000100582112a442b7e7a701bc34d686fa87dfae"
            + "802200105354554e207465737420636c69656e74"
            + "002400046e0001ff"
            + "80290008932ff9b151263b36"
            + "000600096576746a3a68367659202020"
            + "000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
            + "80280004e57a3bcf");
    private static final String RFC5769_PASSWORD = "VOkJxbRl1RmTxUk/WvJxBt";

    @Test
    void readsTheRfc5769SampleRequest() {
        StunMessage request = StunMessage.readRequest(RFC5769_REQUEST, RFC5769_REQUEST.length, RFC5769_PASSWORD);
        assertEquals(StunMessage.BINDING_REQUEST, request.type());
        assertEquals("evtj:h6vY", request.username());
        assertFalse(request.useCandidate());
        assertArrayEquals(HexFormat.of().parseHex("b7e7a701bc34d686fa87dfae"), request.transactionId());
    }

    @Test
    void refusesAWrongPasswordAndATamperedMessage() {
        assertThrows(IllegalArgumentException.class,
                () -> StunMessage.readRequest(RFC5769_REQUEST, RFC5769_REQUEST.length, "not the password"));
        byte[] tampered = RFC5769_REQUEST.clone();
        tampered[70] ^= 1; // a byte of the username
        assertThrows(IllegalArgumentException.class,
                () -> StunMessage.readRequest(tampered, tampered.length, RFC5769_PASSWORD));
        assertThrows(IllegalArgumentException.class,
                () -> StunMessage.readRequest(RFC5769_REQUEST, 19, RFC5769_PASSWORD));
    }

    /** The response's integrity and fingerprint, checked by reading it back as the request reader reads. */
    @Test
    void theSuccessResponseCarriesTheMappedAddressAndChecksOut() throws Exception {
        StunMessage request = StunMessage.readRequest(RFC5769_REQUEST, RFC5769_REQUEST.length, RFC5769_PASSWORD);
        InetSocketAddress from = new InetSocketAddress(InetAddress.getByName("192.0.2.1"), 32853);
        byte[] response = request.successResponse(from, RFC5769_PASSWORD);
        assertEquals(0x0101, ((response[0] & 0xFF) << 8) | (response[1] & 0xFF));
        assertEquals(response.length - 20, ((response[2] & 0xFF) << 8) | (response[3] & 0xFF));
        // XOR-MAPPED-ADDRESS as RFC 5769 2.2 gives it for 192.0.2.1:32853.
        assertArrayEquals(HexFormat.of().parseHex("002000080001a147e112a643"), java.util.Arrays.copyOfRange(
                response, 20, 32));
        // Read back: the reader checks MESSAGE-INTEGRITY and FINGERPRINT, whatever the type.
        StunMessage read = StunMessage.readRequest(response, response.length, RFC5769_PASSWORD);
        assertEquals(0x0101, read.type());
    }

    /** RFC 5769 2.3's IPv6 sample: the address XORed with the magic cookie and the transaction id. */
    @Test
    void anIpv6PeerGetsItsMappedAddressAsRfc5769Has() throws Exception {
        StunMessage request = StunMessage.readRequest(RFC5769_REQUEST, RFC5769_REQUEST.length, RFC5769_PASSWORD);
        InetSocketAddress from = new InetSocketAddress(
                InetAddress.getByName("2001:db8:1234:5678:11:2233:4455:6677"), 32853);
        byte[] response = request.successResponse(from, RFC5769_PASSWORD);
        assertArrayEquals(HexFormat.of().parseHex("002000140002a1470113a9faa5d3f179bc25f4b5bed2b9d9"),
                java.util.Arrays.copyOfRange(response, 20, 44));
        assertEquals(0x0101, StunMessage.readRequest(response, response.length, RFC5769_PASSWORD).type());
    }
}
