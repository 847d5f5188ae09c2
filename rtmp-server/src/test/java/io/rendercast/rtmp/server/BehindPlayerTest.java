package io.rendercast.rtmp.server;

import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.video.VideoData;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A player that stops reading: its rendering idles while it is behind, and past a limit it is closed. */
@ExtendWith(LeakCheckExtension.class)
class BehindPlayerTest {

    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void renderingIdlesWhileThePlayerIsBehindAndItIsClosedPastTheLimit() throws Exception {
        AtomicInteger renders = new AtomicInteger();
        server = new NettyRtmpServer(RtmpServerOptions.builder().outQueueFrames(2).writeBuffer(32 << 10, 64 << 10)
                .maxBehind(Duration.ofSeconds(3)).build());
        server.addConnectHandler((create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.registerRenderHandler(new RenderHandler() {
                        @Override
                        public boolean handle(Stream s) {
                            renders.incrementAndGet();
                            return true;
                        }
                    });
                    stream.registerFrameHandler((s, out, full) -> {
                        if (!full) {
                            out.accept(new VideoData(ByteBuffer.allocate(100_000).put(0, (byte) 0x17), true));
                        }
                        return true;
                    });
                }
                return true;
            });
            return true;
        });
        server.start(new InetSocketAddress("127.0.0.1", 0));
        try (RtmpTestClient stalled = RtmpTestClient.open(server.listenAddress(), 4096)) {
            stalled.connect("live");
            int id = stalled.createStream();
            stalled.pauseReading();
            stalled.play(id, "stalled");
            waitFor("rendering starts").until(() -> renders.get() > 0);
            TimeUnit.MILLISECONDS.sleep(1000); // the queue fills within a few frames
            int whileBehind = renders.get();
            TimeUnit.MILLISECONDS.sleep(1000);
            assertTrue(renders.get() - whileBehind <= 2, "rendering idles while the player is behind: "
                    + (renders.get() - whileBehind) + " renders in 1 s");
            TimeUnit.MILLISECONDS.sleep(2500); // past the 3 s limit: the server gives up on the player
            stalled.resumeReading(); // within the stop timeout: what was queued, the reason last, still comes
            waitFor("the player behind for 3 s is closed").until(stalled::serverClosed);
            waitFor("the server forgets it").until(() -> server.connections().isEmpty());
            boolean told = stalled.drain().stream().anyMatch(m -> m.typeId() == 20
                    && TestAmf0.decode(m.payload()).toString().contains("NetStream.Failed"));
            assertTrue(told, "the player is told why before the close");
        }
    }
}
