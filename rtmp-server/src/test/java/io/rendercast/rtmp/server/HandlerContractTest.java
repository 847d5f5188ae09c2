package io.rendercast.rtmp.server;

import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.video.VideoData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the handler contract (the Iray SDK's mi::rtmp, restated in the API) says of each handler: order, removal,
 * defaults, refusals, and what a return value does.
 */
@ExtendWith(LeakCheckExtension.class)
class HandlerContractTest {

    private final List<String> events = new CopyOnWriteArrayList<>();
    private NettyRtmpServer server;

    private InetSocketAddress start(ConnectHandler... handlers) throws IOException {
        server = new NettyRtmpServer(RtmpServerOptions.defaults());
        for (ConnectHandler handler : handlers) {
            server.addConnectHandler(handler);
        }
        server.start(new InetSocketAddress("127.0.0.1", 0));
        return server.listenAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** A connect handler that accepts and lets {@code setUp} register the stream's handlers. */
    private ConnectHandler streaming(Consumer<Stream> setUp) {
        return (create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.registerRenderHandler(s -> true);
                    stream.registerFrameHandler((s, out, full) -> {
                        out.accept(new VideoData(ByteBuffer.wrap(new byte[] {0x17, 1, 2}), true));
                        return true;
                    });
                    setUp.accept(stream);
                }
                return true;
            });
            return true;
        };
    }

    @Test
    void connectHandlersAreAskedInTheOrderAddedAndCanBeRemoved() throws IOException {
        ConnectHandler first = (create, c, object, args) -> events.add("first") && false;
        ConnectHandler second = (create, c, object, args) -> {
            events.add("second " + create);
            return true;
        };
        InetSocketAddress address = start(first, second);
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            assertEquals("_result", client.connect("live").name());
        }
        waitFor("the claiming handler hears of the end").until(() -> events.contains("second false"));
        assertEquals(List.of("first", "second true", "second false"), events);
        server.removeConnectHandler(second);
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            assertEquals("_error", client.connect("live").name(), "no handler claims it once the claimer is removed");
        }
    }

    @Test
    void theDefaultCallHandlerAnswersWhatNoOtherDoesAndNullRemoves() throws IOException {
        InetSocketAddress address = start((create, connection, object, args) -> {
            connection.registerCallHandler(null, (c, name, o, a) -> CallResult.success("default " + name));
            connection.registerCallHandler("own", (c, name, o, a) -> CallResult.success("own"));
            connection.registerCallHandler("removeOwn", (c, name, o, a) -> {
                c.registerCallHandler("own", null);
                return null;
            });
            connection.registerCallHandler("removeDefault", (c, name, o, a) -> {
                c.registerCallHandler(null, null);
                return null;
            });
            return true;
        });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            assertEquals("own", client.expectAnswer(client.command(0, "own", true, null)).argument(0));
            assertEquals("default other", client.expectAnswer(client.command(0, "other", true, null)).argument(0));
            client.expectAnswer(client.command(0, "removeOwn", true, null));
            assertEquals("default own", client.expectAnswer(client.command(0, "own", true, null)).argument(0));
            client.expectAnswer(client.command(0, "removeDefault", true, null));
            assertEquals("_error", client.expectAnswer(client.command(0, "other", true, null)).name());
        }
    }

    @Test
    void aRefusedPauseKeepsTheStreamPlaying() throws IOException {
        InetSocketAddress address = start(streaming(stream -> stream.registerPauseHandler((pause, s) -> false)));
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            int id = client.createStream();
            client.play(id, "busy");
            waitFor("frames arrive").until(() -> client.video().size() >= 3);
            client.command(id, "pause", false, null, true, 0.0);
            client.expectStatus("NetStream.Pause.Failed");
            int before = client.video().size();
            waitFor("frames go on after a refused pause").until(() -> client.video().size() > before + 5);
        }
    }

    @Test
    void aRenderHandlerReturningFalseStopsItsStream() throws IOException {
        InetSocketAddress address = start(streaming(stream -> {
            int[] renders = {0};
            stream.registerRenderHandler(s -> ++renders[0] < 10);
        }));
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            client.play(client.createStream(), "short");
            client.expectStatus("NetStream.Play.Stop");
            assertTrue(client.video().size() <= 10, "no frame after the render that said stop: " + client.video().size());
        }
    }

    @Test
    void aFrameHandlerReturningFalseStopsItsStream() throws IOException {
        InetSocketAddress address = start(streaming(stream -> {
            int[] frames = {0};
            stream.registerFrameHandler((s, out, full) -> {
                out.accept(new VideoData(ByteBuffer.wrap(new byte[] {0x17, 1}), true));
                return ++frames[0] < 5;
            });
        }));
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            client.play(client.createStream(), "five");
            client.expectStatus("NetStream.Play.Stop");
            waitFor("exactly the five frames made").until(() -> client.video().size() == 5);
        }
    }

    @Test
    void thePlayHandlersOwnDataGoesFirstOnStartAndLastOnStop() throws IOException {
        byte[] hello = {0x17, 'h', 'e', 'l', 'l', 'o', '!'};
        byte[] bye = {0x17, 'b', 'y', 'e', '!', '!', '!', '!', '!'};
        InetSocketAddress address = start(streaming(stream -> stream.registerPlayHandler((start, s, out) -> {
            out.accept(VideoData.copyOf(start ? hello : bye, true));
            return true;
        })));
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            int id = client.createStream();
            client.play(id, "framed");
            waitFor("frames arrive").until(() -> client.video().size() >= 5);
            client.command(id, "closeStream", false, null);
            client.expectStatus("NetStream.Play.Stop");
            List<RtmpTestClient.VideoFrame> frames = client.video();
            assertEquals(hello.length, frames.getFirst().size(), "the start data comes first");
            assertEquals(bye.length, frames.getLast().size(), "the stop data comes last");
        }
    }

    @Test
    void aSlowHandlerOnOneConnectionDoesNotDelayAnother() throws IOException, InterruptedException {
        AtomicBoolean slowReturned = new AtomicBoolean();
        InetSocketAddress address = start((create, connection, object, args) -> {
            connection.registerCallHandler("slow", (c, name, o, a) -> {
                TimeUnit.SECONDS.sleep(4);
                slowReturned.set(true);
                return CallResult.success("slept");
            });
            connection.registerCallHandler("quick", (c, name, o, a) -> CallResult.success("quick"));
            return true;
        });
        try (RtmpTestClient slow = RtmpTestClient.open(address); RtmpTestClient quick = RtmpTestClient.open(address)) {
            slow.connect("live");
            quick.connect("live");
            double sleeping = slow.command(0, "slow", true, null);
            TimeUnit.MILLISECONDS.sleep(100);
            assertEquals("quick", quick.expectAnswer(quick.command(0, "quick", true, null)).argument(0));
            // Told by the order of events, not by a time that a loaded machine could stretch.
            assertFalse(slowReturned.get(), "the other connection's call was answered while the slow one slept");
            assertEquals("slept", slow.expectAnswer(sleeping).argument(0));
        }
    }
}
