package io.rendercast.rtmp.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * How an application shuts down: the server's threads are not daemons, so a server keeps its JVM serving after
 * {@code main} returns (as a server should); {@code close()} ends every thread it started, players' included, so
 * that the JVM can then exit. Both halves are checked here.
 */
@ExtendWith(LeakCheckExtension.class)
class ShutdownTest {

    private static Set<Thread> nonDaemonThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && !t.isDaemon())
                .collect(Collectors.toSet());
    }

    @Test
    void theServerKeepsItsJvmAliveWhileItRunsAndCloseEndsEveryThreadItStarted() throws Exception {
        Set<Thread> before = nonDaemonThreads();
        TestApplication app = new TestApplication(1000, 10, 30);
        NettyRtmpServer server = app.serve(RtmpServerOptions.defaults());
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        try (RtmpTestClient client = RtmpTestClient.open(server.listenAddress())) {
            client.connect("live");
            client.play(client.createStream(), "cube");
            client.expectStatus("NetStream.Play.Start");
            RtmpServerTest.waitFor("the stream plays").until(() -> app.framesMadeByStream.getOrDefault("cube",
                    new java.util.concurrent.atomic.AtomicInteger()).get() >= 5);
            Set<Thread> running = nonDaemonThreads();
            running.removeAll(before);
            assertTrue(running.stream().anyMatch(t -> t.getName().startsWith("rtmp-")),
                    "while it serves, the server's threads hold the JVM: " + running);
            server.close();
        }
        RtmpServerTest.waitFor("every thread the server started has ended").until(() -> {
            Set<Thread> left = nonDaemonThreads();
            left.removeAll(before);
            return left.isEmpty();
        });
    }
}
