package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DemoOptionsTest {

    private static String error(String... args) {
        return assertThrows(IllegalArgumentException.class, () -> DemoOptions.parse(args)).getMessage();
    }

    @Test
    void noArgumentsGiveTheDefaultsTheHelpStates() {
        assertEquals(new DemoOptions("0.0.0.0", 1935, 8080, 1280, 720, 30, 2_500_000, "h264", "auto", "cpu", "INFO",
                null, 1936, null, null, false, null, 100, 300, -1, 0, null, null, 8189, null), DemoOptions.parse());
        assertEquals(DemoOptions.parse(), DemoOptions.defaults());
    }

    @Test
    void readsEveryOption() {
        DemoOptions options = DemoOptions.parse("--host", "127.0.0.1", "--port", "1940", "--http-port", "8081",
                "--size", "640X360", "--fps", "25", "--bitrate", "1000000", "--codec", "screen-video",
                "--encoder", "x264", "--canvas", "gpu", "--log-level", "fine", "--token", "s3cret",
                "--rtmps-port", "1941", "--tls-cert", "chain.pem", "--tls-key", "key.pem", "--https",
                "--push", "rtmp://edge:1940/live/x", "--broadcast-write-delay", "0", "--min-render-headroom", "10", "--control-token", "steer", "--view-token", "look",
                "--webrtc-port", "0", "--webrtc-host", "node1.example");
        assertEquals(new DemoOptions("127.0.0.1", 1940, 8081, 640, 360, 25, 1_000_000, "screen video", "x264", "gpu",
                "FINE", "s3cret", 1941, "chain.pem", "key.pem", true, "rtmp://edge:1940/live/x", 0, 300, -1, 10, "steer", "look", -1,
                "node1.example"), options);
        assertEquals(options, DemoOptions.parse("--host=127.0.0.1", "--port=1940", "--http-port=8081",
                "--size=640X360", "--fps=25", "--bitrate=1000000", "--codec=screen-video", "--encoder=x264",
                "--canvas=gpu", "--log-level=fine", "--token=s3cret", "--rtmps-port=1941", "--tls-cert=chain.pem",
                "--tls-key=key.pem", "--https", "--push=rtmp://edge:1940/live/x", "--broadcast-write-delay=0",
                "--min-render-headroom=10", "--control-token=steer", "--view-token=look", "--webrtc-port=0",
                "--webrtc-host=node1.example"));
    }

    @Test
    void zeroTurnsTheHttpAndRtmpsPortsOff() {
        DemoOptions options = DemoOptions.parse("--http-port", "0", "--rtmps-port", "0");
        assertEquals(-1, options.httpPort());
        assertEquals(-1, options.rtmpsPort());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--size|1280|--size takes WIDTHxHEIGHT, such as 1280x720, got 1280",
            "--size|wide x high|--size takes WIDTHxHEIGHT",
            "--size|641x360|--size must be even and at least 16x16, got 641x360",
            "--size|8x8|--size must be even",
            "--fps|fast|'--fps'",
            "--fps|0|--fps must be in (0, 240], got 0.0",
            "--fps|500|--fps must be in (0, 240]",
            "--port|abc|'--port'",
            "--port|70000|take 0 to 65535",
            "--http-port|-1|take 0 to 65535",
            "--rtmps-port|65536|take 0 to 65535",
            "--webrtc-host|' '|--webrtc-host takes an address or a host name",
            "--bitrate|0|--bitrate must be positive, got 0",
            "--codec|vp6|--codec takes h264, hevc, av1, sorenson, \"screen video\" or none, got vp6",
            "--canvas|vulkan|--canvas takes cpu or gpu, got vulkan",
            "--push|http://edge/x|--push takes rtmp://host[:port]/app/name, got http://edge/x",
            "--broadcast-write-delay|5000|--broadcast-write-delay takes 0 to 1000 ms, got 5000",
            "--tls-cert|chain.pem|--tls-cert and --tls-key go together",
            "--tls-key|key.pem|--tls-cert and --tls-key go together",
            "--colour|red|--colour",
    })
    void namesWhatIsWrongWithABadValue(String option, String value, String expected) {
        String message = error(option, value);
        assertTrue(message.contains(expected), message);
    }

    @Test
    void namesAnOptionWithoutItsValue() {
        String message = error("--port");
        assertTrue(message.contains("--port"), message);
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        String usage = assertThrows(DemoOptions.HelpRequested.class, () -> DemoOptions.parse("--help")).getMessage()
                .replaceAll("\\s+", " ");
        for (String option : new String[] {"--host", "--port", "--http-port", "--size", "--fps", "--bitrate",
                "--codec", "--encoder", "--canvas", "--log-level", "--rtmps-port", "--tls-cert", "--tls-key",
                "--https", "--token", "--push", "--broadcast-write-delay"}) {
            assertTrue(usage.contains(option), option + " in\n" + usage);
        }
        for (String byDefault : new String[] {"(default 0.0.0.0)", "(default 1935)", "(default 8080)",
                "(default 1280x720)", "(default 30)", "(default 2500000)", "(default h264)", "(default auto)",
                "(default cpu)", "(default INFO)", "(default 1936)", "(default 100)"}) {
            assertTrue(usage.contains(byDefault), byDefault + " in\n" + usage);
        }
        assertEquals(error("--help"), error("-h"));
    }
}
