package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The server on NIO, as it runs where Netty's epoll modules are absent (they are optional on the module path):
 * ffmpeg plays the demo and its pictures match the rendered frames.
 */
class NioTransportInteropTest {

    @Test
    void ffmpegPlaysTheDemoOverNio() {
        List<String> listening = new CopyOnWriteArrayList<>();
        Logger serverLog = Logger.getLogger("io.rendercast.rtmp.server.NettyRtmpServer");
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                Object[] parameters = record.getParameters();
                if (record.getMessage().startsWith("RTMP server listening") && parameters != null) {
                    listening.add(String.valueOf(parameters[parameters.length - 1]));
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        serverLog.addHandler(handler);
        String before = System.getProperty("rendercast.transport");
        System.setProperty("rendercast.transport", "nio");
        try (DemoServer server = new DemoServer()) {
            assertEquals(List.of("nio"), listening, "the server says which transport it listens on");
            ExternalTool.Result decoded = Pictures.decodeWithFfmpeg(ExternalTool.FFMPEG, Duration.ofSeconds(90),
                    server.url("live", "nio"), 60);
            assertEquals(0, decoded.exitCode(), decoded.describe());
            Pictures.Match match = Pictures.matchDecodedFrames(decoded.stdout(), DemoServer.WIDTH,
                    DemoServer.HEIGHT);
            System.out.println("NioTransportInteropTest: " + match.summary());
            assertEquals(60, match.frames(), match.toString());
            match.assertMatchesRendered(35);
            match.assertInOrder(60);
        } finally {
            serverLog.removeHandler(handler);
            if (before == null) {
                System.clearProperty("rendercast.transport");
            } else {
                System.setProperty("rendercast.transport", before);
            }
        }
    }
}
