package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The digest handshake against the clients that check it: ffmpeg always sends a digest and validates the
 * server's S1 digest and S2 signature once the server announces a version; librtmp does the same when it is
 * given a SWF hash and size.
 */
class HandshakeInteropTest {

    private final DemoServer server = new DemoServer();

    @AfterEach
    void close() {
        server.close();
    }

    @Test
    void ffmpegValidatesTheServersDigest() {
        ExternalTool.Result probe = ExternalTool.FFPROBE.run(Duration.ofSeconds(60), "-loglevel", "debug",
                "-show_entries", "stream=codec_name", "-of", "csv=p=0", server.url("live", "digest"));
        assertEquals(0, probe.exitCode(), probe.describe());
        assertTrue(probe.stderr().contains("Server version 13.14.10.13"), "ffmpeg saw the announced version");
        assertFalse(probe.stderr().contains("validating failed") || probe.stderr().contains("Signature mismatch"),
                probe.stderr());
        assertEquals("h264", probe.stdoutText().trim());
    }

    @Test
    void librtmpValidatesTheServersDigestAndSignature(@TempDir Path dir) throws Exception {
        Path flv = dir.resolve("digest.flv");
        ExternalTool.Result dump = ExternalTool.RTMPDUMP.run(Duration.ofSeconds(30), Duration.ofSeconds(3),
                "-V", "-r", server.url("live", "digest"), "-v", "-o", flv.toString(),
                "-w", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "-x", "12345");
        String log = dump.stderr();
        assertTrue(log.contains("FMS Version   : 13.14.10.13"), "librtmp took the digest handshake");
        assertTrue(log.contains("HandShake: Genuine Adobe Flash Media Server"), "librtmp accepted S2's signature");
        // Stopping rtmpdump interrupts its read; any other error is the server's fault.
        var errors = log.lines().filter(l -> l.startsWith("ERROR") && !l.contains("failed to read RTMP packet header"))
                .toList();
        assertTrue(errors.isEmpty(), "librtmp reported errors: " + errors);
        assertTrue(Files.size(flv) > 10_000, "recorded " + Files.size(flv) + " bytes");
    }
}
