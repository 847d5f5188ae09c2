package io.rendercast.rtmp.server;

import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.video.VideoData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The application's own render and frame handlers: the frame handler encodes a render once at most. It is called
 * after a render, and while the player is behind only to be told so; never to encode what was already sent.
 */
@ExtendWith(LeakCheckExtension.class)
class FramedOncePerRenderTest {

    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    /** A server whose streams render at 60 fps with these handlers; each stream created is added to {@code streams}. */
    private InetSocketAddress start(RtmpServerOptions options, RenderHandler render, FrameHandler frames,
                                    List<Stream> streams) throws IOException {
        server = new NettyRtmpServer(options);
        server.addConnectHandler((create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    streams.add(stream);
                    stream.setProperty(Stream.RENDER_RATE, 60);
                    stream.registerRenderHandler(render);
                    stream.registerFrameHandler(frames);
                }
                return true;
            });
            return true;
        });
        server.start(new InetSocketAddress("127.0.0.1", 0));
        return server.listenAddress();
    }

    private InetSocketAddress start(RtmpServerOptions options, RenderHandler render, List<Integer> framed,
                                    int frameSize, AtomicInteger lastRender) throws IOException {
        return start(options, render, (s, out, full) -> {
            if (!full) {
                framed.add(lastRender.get());
                out.accept(frameOf(frameSize));
            }
            return true;
        }, new CopyOnWriteArrayList<>());
    }

    private static VideoData frameOf(int size) {
        return new VideoData(ByteBuffer.allocate(size).put(0, (byte) 0x17), true);
    }

    /** Before the fix, the frame thread was signalled every tick, rendered or not: this one was encoded 30 times. */
    @Test
    void noFrameHandlerCallOnceTheRenderHandlerIsRemoved() throws Exception {
        AtomicInteger renders = new AtomicInteger();
        List<Integer> framed = new CopyOnWriteArrayList<>();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), s -> {
            if (renders.incrementAndGet() == 5) {
                s.registerRenderHandler(null);
            }
            return true;
        }, framed, 100, renders);
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            client.play(client.createStream(), "five renders");
            waitFor("five renders").until(() -> renders.get() == 5);
            TimeUnit.MILLISECONDS.sleep(500); // 30 ticks without a render
            assertEquals(5, renders.get());
            assertTrue(framed.size() <= 5, "the frame handler encoded " + framed.size() + " frames of five renders");
            assertEquals(Set.copyOf(framed).size(), framed.size(), "no render encoded twice: " + framed);
            assertTrue(client.video().size() <= 5, client.video().size() + " frames sent for five renders");
        }
    }

    /**
     * A player that falls behind and catches up, again and again, while rendering idles: the frame handler is
     * told it is behind, and each render it encodes is a new one. The frame thread used to be woken on every idle
     * tick; when one of those came after it had found the player caught up, it encoded the last render again.
     * That takes a thread switch at the wrong moment, so the old code failed this only now and then.
     */
    @Test
    void aPlayerThatFallsBehindAndCatchesUpNeverGetsARenderTwice() throws Exception {
        AtomicInteger renders = new AtomicInteger();
        List<Integer> framed = new CopyOnWriteArrayList<>();
        RenderHandler render = new RenderHandler() {
            @Override
            public boolean handle(Stream s) {
                renders.incrementAndGet();
                return true;
            }
        };
        InetSocketAddress address = start(RtmpServerOptions.builder().outQueueFrames(2)
                .writeBuffer(16 << 10, 32 << 10).build(), render, framed, 50_000, renders);
        try (RtmpTestClient client = RtmpTestClient.open(address, 4096)) {
            client.connect("live");
            client.play(client.createStream(), "stop and go");
            for (int i = 0; i < 6; i++) {
                waitFor("frames are encoded").until(() -> !framed.isEmpty());
                client.pauseReading();
                TimeUnit.MILLISECONDS.sleep(300);
                client.resumeReading();
                TimeUnit.MILLISECONDS.sleep(150);
            }
            long dropped = server.connections().stream().mapToLong(c -> c.statistics().framesDropped()).sum();
            assertTrue(dropped > 0, "the player fell behind");
        }
        Set<Integer> distinct = new HashSet<>(framed);
        assertEquals(distinct.size(), framed.size(), "a render encoded twice: " + framed);
        assertTrue(framed.size() <= renders.get(), framed.size() + " encodes for " + renders.get() + " renders");
    }

    /**
     * A frame thread slower than the render clock frames the newest render; each one a newer render replaced
     * before the frame thread took it is counted, so that an application sees that it renders for nothing.
     */
    @Test
    void aRenderReplacedBeforeItWasFramedIsCounted() throws Exception {
        AtomicInteger renders = new AtomicInteger();
        AtomicInteger framedCount = new AtomicInteger();
        List<Stream> streams = new CopyOnWriteArrayList<>();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), s -> renders.incrementAndGet() > 0,
                (s, out, full) -> {
                    if (!full) {
                        TimeUnit.MILLISECONDS.sleep(50); // three render periods
                        framedCount.incrementAndGet();
                        out.accept(frameOf(100));
                    }
                    return true;
                }, streams);
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            client.play(client.createStream(), "slow frames");
            waitFor("ten frames").until(() -> framedCount.get() >= 10);
            client.pauseReading(); // nothing more is read: the counts settle once the stream stops
        }
        waitFor("the stream ends").until(() -> server.connections().isEmpty());
        long replaced = streams.getFirst().statistics().rendersReplaced();
        assertTrue(replaced > 0, "renders at 60 fps, frames every 50 ms, and none replaced");
        // Each render is framed or replaced, but for the last two: one being framed and one waiting when it stopped.
        long accounted = framedCount.get() + replaced;
        assertTrue(accounted <= renders.get() && accounted >= renders.get() - 2,
                framedCount.get() + " framed and " + replaced + " replaced of " + renders.get() + " renders");
    }
}
