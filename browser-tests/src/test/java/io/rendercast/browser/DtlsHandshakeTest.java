package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.browser.webrtc.DtlsSrtpServer;
import io.rendercast.browser.webrtc.H264RtpPacketizer;
import io.rendercast.browser.webrtc.IceLiteEndpoint;
import io.rendercast.browser.webrtc.SrtpGcmSender;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.tls.ProtocolVersion;
import org.bouncycastle.tls.SRTPProtectionProfile;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;

/**
 * The WebRTC issue's first check: does Debian's Chromium complete a DTLS 1.2 handshake, with {@code use_srtp},
 * against BouncyCastle's DTLS server, behind an ICE-lite agent on one UDP port? Chromium offers DTLS 1.3 with a
 * large ClientHello (a post-quantum key share), which the server must take across datagrams and answer in 1.2.
 * The browser makes a receive-only offer; the answer comes from {@link IceLiteEndpoint}; both ends must then say
 * the same: DTLS 1.2, an SRTP profile, a connected peer connection. Then H.264 goes over SRTP on the same port,
 * and the browser must decode it.
 */
class DtlsHandshakeTest {

    private static final String OFFER = """
            const done = arguments[arguments.length - 1];
            const pc = new RTCPeerConnection();
            window.pc = pc;
            pc.addTransceiver('video', { direction: 'recvonly' });
            pc.ontrack = e => {
                const video = document.createElement('video');
                video.muted = true;
                video.autoplay = true;
                video.srcObject = new MediaStream([e.track]);
                document.body.appendChild(video);
            };
            pc.createOffer().then(o => pc.setLocalDescription(o)).then(() => done(pc.localDescription.sdp),
                e => done('error: ' + e));
            """;
    private static final String ANSWER = """
            const done = arguments[arguments.length - 1];
            window.pc.setRemoteDescription({ type: 'answer', sdp: arguments[0] })
                .then(() => done('ok'), e => done('error: ' + e));
            """;
    private static final String TRANSPORT_STATS = """
            const done = arguments[arguments.length - 1];
            window.pc.getStats().then(stats => {
                let found = null;
                stats.forEach(s => { if (s.type === 'transport') found = s; });
                done(found ? JSON.stringify({ dtlsState: found.dtlsState, tlsVersion: found.tlsVersion,
                    dtlsCipher: found.dtlsCipher, srtpCipher: found.srtpCipher, dtlsRole: found.dtlsRole }) : 'none');
            });
            """;
    private static final String INBOUND_STATS = """
            const done = arguments[arguments.length - 1];
            window.pc.getStats().then(stats => {
                let found = null;
                stats.forEach(s => { if (s.type === 'inbound-rtp' && s.kind === 'video') found = s; });
                done(found ? JSON.stringify({ framesDecoded: found.framesDecoded || 0, frameWidth: found.frameWidth,
                    frameHeight: found.frameHeight, packetsLost: found.packetsLost,
                    decoder: found.decoderImplementation }) : '{"framesDecoded":0}');
            });
            """;

    @Test
    void chromiumCompletesADtls12HandshakeWithUseSrtpAndDecodesH264OverSrtp() throws Exception {
        try (IceLiteEndpoint endpoint = IceLiteEndpoint.open(InetAddress.getLoopbackAddress());
             // Loopback candidates are left out of a peer connection unless asked for.
             Chromium chromium = Chromium.open("--allow-loopback-in-peer-connection")) {
            chromium.driver.get("about:blank");
            JavascriptExecutor page = (JavascriptExecutor) chromium.driver;
            Object offer = page.executeAsyncScript(OFFER);
            assertTrue(offer instanceof String s && !s.startsWith("error"), "the browser's offer: " + offer);
            String answer = endpoint.answer((String) offer);
            assertEquals("ok", page.executeAsyncScript(ANSWER, answer), "the browser takes the answer:\n" + answer);

            DtlsSrtpServer.Agreed agreed = endpoint.agreed().get(20, TimeUnit.SECONDS);
            assertEquals(ProtocolVersion.DTLSv12, agreed.version(), "the server's side");
            assertTrue(agreed.srtpProfile() == SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM
                    || agreed.srtpProfile() == SRTPProtectionProfile.SRTP_AES128_CM_HMAC_SHA1_80,
                    "an SRTP profile both take: " + agreed.srtpProfile());
            long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Object state;
            while (!"connected".equals(state = chromium.script("return window.pc.connectionState"))
                    && System.nanoTime() < until) {
                Thread.sleep(100);
            }
            assertEquals("connected", state, "the browser's peer connection");
            Object transport = page.executeAsyncScript(TRANSPORT_STATS);
            System.out.println("DtlsHandshakeTest: the browser offered " + agreed.offered() + " in datagrams of at "
                    + "most " + endpoint.largestDtlsDatagram() + " bytes; the server agreed " + agreed.version()
                    + ", SRTP profile " + agreed.srtpProfile() + "; the browser says " + transport);
            assertTrue(String.valueOf(transport).contains("\"dtlsState\":\"connected\""), "browser: " + transport);
            assertTrue(String.valueOf(transport).contains("\"tlsVersion\":\"FEFD\""), "DTLS 1.2 (0xFEFD) in the "
                    + "browser's words: " + transport);

            // Media over the same port: H.264 from Debian's ffmpeg (a client of its own, sharing no codec code
            // with the server), in RTP, under SRTP with the keys the handshake exported.
            assertEquals(SRTPProtectionProfile.SRTP_AEAD_AES_128_GCM, agreed.srtpProfile(), "the profile sent here");
            List<List<byte[]>> units = H264RtpPacketizer.accessUnits(testStream());
            assertTrue(units.size() >= 30, "access units in the test stream: " + units.size());
            String inbound = playUntilDecoded(endpoint, agreed, units, page);
            System.out.println("DtlsHandshakeTest: over SRTP the browser says " + inbound);
            assertTrue(decodedFrames(inbound) >= 60, "the browser decodes what came over SRTP: " + inbound);
            assertTrue(inbound.contains("\"frameWidth\":640") && inbound.contains("\"frameHeight\":360"),
                    "at the stream's size: " + inbound);
        }
    }

    /** Sends the stream at 30 fps, looping, until the browser has decoded 60 frames or 15 s passed. */
    private static String playUntilDecoded(IceLiteEndpoint endpoint, DtlsSrtpServer.Agreed agreed,
                                           List<List<byte[]>> units, JavascriptExecutor page) throws Exception {
        SrtpGcmSender srtp = new SrtpGcmSender(agreed.srtpKeyingMaterial(), true);
        H264RtpPacketizer rtp = new H264RtpPacketizer(endpoint.h264PayloadType(), 1, 1100, 4242);
        Thread sender = Thread.ofPlatform().daemon().name("rtp-sender").start(() -> {
            long next = System.nanoTime();
            try {
                for (int frame = 0; !Thread.currentThread().isInterrupted(); frame++) {
                    for (byte[] packet : rtp.packetize(units.get(frame % units.size()), 3000L * frame)) {
                        endpoint.sendMedia(srtp.protect(packet, H264RtpPacketizer.headerLength()));
                    }
                    next += 33_333_333;
                    Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
                }
            } catch (InterruptedException | IOException e) {
                // stopped
            }
        });
        try {
            String inbound = "";
            long until = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (System.nanoTime() < until) {
                inbound = String.valueOf(page.executeAsyncScript(INBOUND_STATS));
                if (decodedFrames(inbound) >= 60) {
                    break;
                }
                Thread.sleep(250);
            }
            return inbound;
        } finally {
            sender.interrupt();
            sender.join(2000);
        }
    }

    private static long decodedFrames(String inboundStats) {
        Matcher m = Pattern.compile("\"framesDecoded\":(\\d+)").matcher(inboundStats);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    /** Three seconds of 640x360 at 30 fps from Debian's ffmpeg: Constrained Baseline, an access unit delimiter each. */
    private static byte[] testStream() throws Exception {
        Path file = Files.createTempFile("rendercast-webrtc-", ".h264");
        try {
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi",
                    "-i", "testsrc=size=640x360:rate=30", "-frames:v", "90", "-c:v", "libx264", "-profile:v",
                    "baseline", "-pix_fmt", "yuv420p", "-x264-params", "aud=1:keyint=30:bframes=0", "-f", "h264",
                    file.toString()).redirectErrorStream(true).start();
            String output = new String(ffmpeg.getInputStream().readAllBytes());
            assertEquals(0, ffmpeg.waitFor(), "ffmpeg: " + output);
            return Files.readAllBytes(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
