package io.rendercast.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.RtmpServerOptions;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * WHEP's HTTP side without a browser: every offer the server cannot take gets a status and the reason, a refused
 * connect a 403, and bytes thrown at the WebRTC port harm no one. The browser's side is in browser-tests.
 */
class WhepRequestsTest {

    /** A WebRTC player's offer as a browser makes it, cut to what the server reads: audio and video, H.264 and RTX. */
    static final String OFFER = String.join("\r\n",
            "v=0", "o=- 1 2 IN IP4 127.0.0.1", "s=-", "t=0 0", "a=group:BUNDLE 0 1",
            "m=audio 9 UDP/TLS/RTP/SAVPF 111", "c=IN IP4 0.0.0.0", "a=mid:0", "a=recvonly", "a=rtpmap:111 opus/48000/2",
            "m=video 9 UDP/TLS/RTP/SAVPF 96 102 103", "c=IN IP4 0.0.0.0", "a=ice-ufrag:abcd",
            "a=ice-pwd:0123456789012345678901",
            "a=fingerprint:sha-256 AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:"
                    + "66:77:88:99",
            "a=setup:actpass", "a=mid:1", "a=recvonly", "a=rtcp-mux", "a=rtpmap:96 VP8/90000",
            "a=rtpmap:102 H264/90000", "a=fmtp:102 level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
            "a=rtpmap:103 rtx/90000", "a=fmtp:103 apt=102", "");

    private final TestApplication app = new TestApplication(3000, 10, 30);
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String type, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.httpAddress().getPort() + path)).timeout(Duration.ofSeconds(15))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) {
            request.header("Content-Type", type);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> offer(String path, String sdp) throws Exception {
        return send("POST", path, "application/sdp", sdp);
    }

    @Test
    void withoutItsUdpPortWhepSaysSo() throws Exception {
        server = app.serve(RtmpServerOptions.defaults());
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        HttpResponse<String> response = offer("/whep/live/demo", OFFER);
        assertEquals(503, response.statusCode());
        assertTrue(response.body().contains("--webrtc-port"), response.body());
    }

    @Test
    void everyOfferItCannotTakeGetsAStatusAndTheReason() throws Exception {
        server = app.serve(RtmpServerOptions.defaults());
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        server.startWebRtc(new InetSocketAddress("127.0.0.1", 0));

        HttpResponse<String> response = send("POST", "/whep/live/demo", "text/plain", OFFER);
        assertEquals(415, response.statusCode(), response.body());
        response = offer("/whep/live/demo", "hello");
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("v=0"), response.body());
        response = offer("/whep/live/demo", OFFER.replace("profile-level-id=42e01f", "profile-level-id=f4001f"));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("baseline, main or high"), response.body());
        response = offer("/whep/live/demo", OFFER.replaceAll("a=fingerprint[^\r]*\r\n", ""));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("fingerprint"), response.body());
        response = offer("/whep/live/demo", OFFER.replace("a=rtpmap:102 H264", "a=rtpmap:x H264"));
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("no number"), response.body());
        response = offer("/whep/live", OFFER);
        assertEquals(404, response.statusCode(), response.body());
        assertEquals(405, send("GET", "/whep/live/demo", null, null).statusCode());
        assertEquals(404, send("DELETE", "/whep/session/0123", null, null).statusCode());

        // No connect handler claims app "other": refused, with the reason, as an RTMP client would be.
        response = offer("/whep/other/demo", OFFER);
        assertEquals(403, response.statusCode(), response.body());
        assertTrue(response.body().length() > 5, "the reason: " + response.body());
    }

    /** A node behind a load balancer names where players reach its UDP port, not where HTTP reached it. */
    @Test
    void theCandidateNamesTheHostGivenForTheUdpPort() throws Exception {
        server = app.serve(RtmpServerOptions.defaults());
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        server.startWebRtc(new InetSocketAddress("127.0.0.1", 0), "node7.example");
        HttpResponse<String> response = offer("/whep/live/demo", OFFER);
        assertEquals(201, response.statusCode(), response.body());
        assertTrue(response.body().contains("a=candidate:1 1 udp 2130706431 node7.example "
                + server.webRtcAddress().getPort() + " typ host\r\n"), response.body());
        assertTrue(response.body().contains("c=IN IP4 node7.example\r\n"), response.body());
        server.close();
        server = app.serve(RtmpServerOptions.defaults());
        assertThrows(IllegalArgumentException.class, () -> server.startWebRtc(new InetSocketAddress(0), "two words"));
    }

    @Test
    void anOfferTakenIsAnsweredWithItsSessionWhichDeleteEnds() throws Exception {
        server = app.serve(RtmpServerOptions.defaults());
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        server.startWebRtc(new InetSocketAddress("127.0.0.1", 0));
        HttpResponse<String> response = offer("/whep/live/demo?token=x", OFFER);
        assertEquals(201, response.statusCode(), response.body());
        String location = response.headers().firstValue("Location").orElseThrow();
        assertTrue(location.startsWith("/whep/session/"), location);
        String answer = response.body();
        assertTrue(answer.contains("a=ice-lite") && answer.contains("a=setup:passive")
                && answer.contains("a=rtpmap:102 H264/90000") && answer.contains("a=fmtp:103 apt=102")
                && answer.contains("m=audio 0 ") && answer.contains("a=candidate:1 1 udp 2130706431 127.0.0.1 "
                + server.webRtcAddress().getPort() + " typ host"), answer);
        assertEquals(1, app.connections.size(), "the WHEP player is a connection of the application's");
        assertEquals(405, send("PATCH", location, "application/trickle-ice-sdpfrag", "a=end-of-candidates")
                .statusCode(), "no trickle ICE");

        // Bytes from anywhere at the WebRTC port: dropped, and no one is harmed.
        try (DatagramSocket attacker = new DatagramSocket()) {
            Random random = new Random(7);
            for (int i = 0; i < 300; i++) {
                byte[] junk = new byte[1 + random.nextInt(1200)];
                random.nextBytes(junk);
                junk[0] = (byte) (i % 4 == 0 ? 0x00 : junk[0]); // a quarter look like STUN
                attacker.send(new DatagramPacket(junk, junk.length, server.webRtcAddress()));
            }
        }
        assertEquals(201, offer("/whep/live/second", OFFER).statusCode(), "the server still answers");
        String metrics = send("GET", "/metrics", null, null).body();
        assertTrue(metrics.contains("rendercast_webrtc_sessions 2.0"), "two sessions open, in /metrics: " + metrics);
        java.util.regex.Matcher dropped = java.util.regex.Pattern
                .compile("(?m)^rendercast_webrtc_datagrams_dropped_total (\\S+)").matcher(metrics);
        assertTrue(dropped.find() && Double.parseDouble(dropped.group(1)) >= 300, "the junk counted as dropped: "
                + metrics);

        assertEquals(200, send("DELETE", location, null, null).statusCode());
        assertEquals(404, send("DELETE", location, null, null).statusCode(), "ended already");
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (app.events.stream().filter(e -> e.startsWith("disconnect")).count() < 1
                && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertTrue(app.events.contains("delete demo") && app.events.stream().anyMatch(e -> e.startsWith("disconnect")),
                "the connection ended: " + app.events);
    }
}
