package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.browser.webrtc.DtlsSrtpServer;
import io.rendercast.browser.webrtc.IceLiteEndpoint;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The WebRTC issue's first check: does Debian's Chromium complete a DTLS 1.2 handshake, with {@code use_srtp},
 * against BouncyCastle's DTLS server, behind an ICE-lite agent on one UDP port? Chromium may prefer DTLS 1.3 and
 * send a large ClientHello (post-quantum key shares), which the server must take across datagrams and answer in
 * 1.2. The browser makes a receive-only offer; the answer comes from {@link IceLiteEndpoint}; both ends must then
 * say the same: DTLS 1.2, an SRTP profile, and a connected peer connection.
 */
class DtlsHandshakeTest {

    @Test
    void chromiumCompletesADtls12HandshakeWithUseSrtp() throws Exception {
        try (IceLiteEndpoint endpoint = IceLiteEndpoint.open(InetAddress.getLoopbackAddress());
             // Loopback candidates are left out of a peer connection unless asked for.
             Chromium chromium = Chromium.open("--allow-loopback-in-peer-connection")) {
            chromium.driver.get("about:blank");
            Object offer = ((JavascriptExecutor) chromium.driver).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    const pc = new RTCPeerConnection();
                    window.pc = pc;
                    pc.addTransceiver('video', { direction: 'recvonly' });
                    pc.createOffer().then(o => pc.setLocalDescription(o)).then(() => done(pc.localDescription.sdp),
                        e => done('error: ' + e));
                    """);
            assertTrue(offer instanceof String s && !s.startsWith("error"), "the browser's offer: " + offer);
            String answer = endpoint.answer((String) offer);
            Object applied = ((JavascriptExecutor) chromium.driver).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    window.pc.setRemoteDescription({ type: 'answer', sdp: arguments[0] })
                        .then(() => done('ok'), e => done('error: ' + e));
                    """, answer);
            assertEquals("ok", applied, "the browser takes the answer:\n" + answer);

            DtlsSrtpServer.Agreed agreed = endpoint.agreed().get(20, TimeUnit.SECONDS);
            assertEquals(ProtocolVersion.DTLSv12, agreed.version(), "the server's side");
            assertTrue(agreed.srtpProfile() == SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM
                    || agreed.srtpProfile() == SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                    "an SRTP profile both take: " + agreed.srtpProfile());
            assertTrue(agreed.srtpKeyingMaterial().length >= 56, "SRTP keys exported");

            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Object state;
            while (!"connected".equals(state = chromium.script("return window.pc.connectionState"))
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals("connected", state, "the browser's peer connection");
            Object transport = ((JavascriptExecutor) chromium.driver).executeAsyncScript("""
                    const done = arguments[arguments.length - 1];
                    window.pc.getStats().then(stats => {
                        let found = null;
                        stats.forEach(s => { if (s.type === 'transport') found = s; });
                        done(found ? JSON.stringify({ dtlsState: found.dtlsState, tlsVersion: found.tlsVersion,
                            dtlsCipher: found.dtlsCipher, srtpCipher: found.srtpCipher,
                            dtlsRole: found.dtlsRole }) : 'none');
                    });
                    """);
            System.out.println("DtlsHandshakeTest: the browser offered " + agreed.offered() + " in datagrams of at "
                    + "most " + endpoint.largestDtlsDatagram() + " bytes; the server agreed " + agreed.version()
                    + ", SRTP profile " + agreed.srtpProfile() + "; the browser says " + transport);
            assertTrue(String.valueOf(transport).contains("\"dtlsState\":\"connected\""), "browser: " + transport);
            assertTrue(String.valueOf(transport).contains("\"tlsVersion\":\"FEFD\""), "DTLS 1.2 (0xFEFD) in the "
                    + "browser's words: " + transport);
        }
    }
}
