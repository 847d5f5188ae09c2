package io.rendercast.rtmp.server;

import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Stream#requestRender}: input is rendered at once rather than at the next tick, and however often it is
 * asked for, the stream renders no faster than its render rate.
 */
@ExtendWith(LeakCheckExtension.class)
class RenderOnRequestTest {

    private NettyRtmpServer server;
    private TestApplication app;

    @AfterEach
    void stop() {
        server.close();
    }

    /** The test application's server, its streams rendering at {@code rate}. */
    private InetSocketAddress start(double rate) throws IOException {
        app = new TestApplication(100, 1, rate);
        server = app.serve(RtmpServerOptions.defaults());
        return server.listenAddress();
    }

    /**
     * Plays a stream named {@code name} on {@code client}; from then on each of its renders' times is added to
     * {@code renders}.
     */
    private Stream play(RtmpTestClient client, String name, List<Long> renders) throws Exception {
        client.connect("live");
        client.play(client.createStream(), name);
        waitFor("the stream is created").until(() -> !app.streams.isEmpty());
        Stream stream = app.streams.getFirst();
        stream.registerRenderHandler(s -> renders.add(System.nanoTime()));
        return stream;
    }

    @Test
    void aRequestRendersAtOnceNotAtTheNextTick() throws Exception {
        List<Long> renders = new CopyOnWriteArrayList<>();
        InetSocketAddress address = start(2); // a tick every 500 ms
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            Stream stream = play(client, "on request", renders);
            waitFor("two renders").until(() -> renders.size() >= 2);
            List<Long> waits = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                // Asked 100 ms after a tick's render: the next tick is 400 ms away.
                int before = renders.size();
                waitFor("a tick's render").until(() -> renders.size() > before);
                TimeUnit.MILLISECONDS.sleep(100);
                int asked = renders.size();
                long askedAt = System.nanoTime();
                stream.requestRender();
                waitFor("the requested render").until(() -> renders.size() > asked);
                waits.add(TimeUnit.NANOSECONDS.toMillis(renders.get(asked) - askedAt));
            }
            // A loaded machine may be slow to wake the thread, but not by the 400 ms to the tick.
            assertTrue(waits.stream().allMatch(w -> w < 250), "renders came " + waits + " ms after the request");
            // The frames of pulled renders go out stamped when they ran, off the ticks' stamps, and the tick after
            // each keeps its time: the clock was not moved.
            waitFor("three frames off the ticks, each with one after it").until(() -> offTick(stamps(client)) >= 3);
            List<Integer> stamps = stamps(client);
            for (int i = 1; i < stamps.size(); i++) {
                assertTrue(stamps.get(i) > stamps.get(i - 1), "timestamps go back: " + stamps);
                if (stamps.get(i - 1) % 500 != 0) {
                    assertTrue(stamps.get(i) % 500 == 0 && stamps.get(i) >= (stamps.get(i - 1) / 500 + 2) * 500,
                            "the tick after a pulled render moved: " + stamps);
                }
            }
        }
    }

    private static List<Integer> stamps(RtmpTestClient client) {
        return client.video().stream().map(RtmpTestClient.VideoFrame::timestamp).toList();
    }

    /** Frames stamped off the 500 ms ticks that have a frame after them. */
    private static long offTick(List<Integer> stamps) {
        return stamps.stream().limit(Math.max(0, stamps.size() - 1)).filter(t -> t % 500 != 0).count();
    }

    @Test
    void requestsAsFastAsTheyComeDoNotRaiseTheRenderRate() throws Exception {
        List<Long> renders = new CopyOnWriteArrayList<>();
        InetSocketAddress address = start(20);
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            Stream stream = play(client, "asked all the time", renders);
            waitFor("a render").until(() -> !renders.isEmpty());
            AtomicInteger asks = new AtomicInteger();
            long from = System.nanoTime();
            long until = from + TimeUnit.SECONDS.toNanos(2);
            while (System.nanoTime() < until) {
                stream.requestRender();
                asks.incrementAndGet();
                TimeUnit.MICROSECONDS.sleep(200);
            }
            long to = System.nanoTime();
            long rendered = renders.stream().filter(t -> t >= from && t <= to).count();
            // One render a 50 ms tick, one of them pulled forward at most ahead of its time, and one at the edge.
            long ticks = (to - from) / TimeUnit.MILLISECONDS.toNanos(50) + 1;
            assertTrue(rendered <= ticks + 2, rendered + " renders in " + (to - from) / 1_000_000 + " ms at 20 fps, "
                    + "asked " + asks.get() + " times");
            assertTrue(rendered >= 20, "only " + rendered + " renders in 2 s at 20 fps");
        }
    }
}
