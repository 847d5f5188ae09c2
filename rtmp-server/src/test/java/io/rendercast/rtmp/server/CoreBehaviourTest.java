package io.rendercast.rtmp.server;

import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.video.Canvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core's contracts: the frame clock, calls that cannot deadlock, stopping, flushing, limits and AMF forms. */
@ExtendWith(LeakCheckExtension.class)
class CoreBehaviourTest {

    private final TestApplication app = new TestApplication(2000, 10, 30);
    private NettyRtmpServer server;

    private InetSocketAddress start(RtmpServerOptions options, ConnectHandler... handlers) throws IOException {
        server = new NettyRtmpServer(options, codec -> new FlushingEncoder());
        for (ConnectHandler handler : handlers.length == 0 ? new ConnectHandler[] {app} : handlers) {
            server.addConnectHandler(handler);
        }
        server.start(new InetSocketAddress("127.0.0.1", 0));
        return server.listenAddress();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void framesAreStampedWithTheRenderTickFromZeroOnWholeFramePeriods() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start(RtmpServerOptions.defaults()))) {
            client.connect("live");
            client.play(client.createStream(), "clock");
            waitFor("frames arrive").until(() -> client.video().size() >= 45);
            List<RtmpTestClient.VideoFrame> frames = client.video();
            assertEquals(0, frames.getFirst().timestamp(), "the first frame is at 0");
            for (int i = 1; i < frames.size(); i++) {
                int t = frames.get(i).timestamp();
                assertTrue(t > frames.get(i - 1).timestamp(), "strictly increasing at frame " + i + ": " + frames);
                long tick = Math.round(t * 30 / 1000.0);
                assertEquals(Math.round(tick * 1000 / 30.0), t, "frame " + i + " sits on a whole frame period");
            }
        }
    }

    @Test
    void aHandlerThatWaitsOnACallToItsOwnClientGetsTheAnswerOffTheNetworkThreads() throws Exception {
        AtomicReference<String> continuationThread = new AtomicReference<>();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            connection.registerCallHandler("ask", (c, name, o, a) -> CallResult.success(
                    c.call("question").thenApply(answer -> {
                        continuationThread.set(Thread.currentThread().getName());
                        return answer;
                    }).get(5, TimeUnit.SECONDS)));
            return true;
        });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            double ask = client.command(0, "ask", true, null);
            TestCommand question = client.expectCommand(c -> c.name().equals("question"), Duration.ofSeconds(5));
            // A future already complete when thenApply is attached runs the continuation on the attaching thread
            // (here the connection's); the answer waits until the handler has surely attached it.
            TimeUnit.MILLISECONDS.sleep(300);
            client.answer(question, true, "forty-two");
            TestCommand answer = client.expectAnswer(ask);
            assertEquals("_result", answer.name());
            assertEquals("forty-two", answer.argument(0));
            assertFalse(continuationThread.get().startsWith("rtmp-io"), continuationThread.get());
            assertFalse(continuationThread.get().startsWith("rtmp-connection"), continuationThread.get());
        }
    }

    @Test
    void takesCommandsWhoseEveryValueIsSwitchedToAmf3() throws IOException {
        try (RtmpTestClient client = RtmpTestClient.open(start(RtmpServerOptions.defaults()))) {
            client.command(0, "connect", true, Map.of("app", "live", "objectEncoding", 3.0));
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            payload.write(0);
            payload.writeBytes(new byte[] {0x11, 0x06, 0x07, 'a', 'd', 'd'}); // AMF3 string "add"
            payload.writeBytes(new byte[] {0x11, 0x04, 0x07}); // AMF3 integer 7: the transaction id
            payload.writeBytes(new byte[] {0x11, 0x01}); // AMF3 null
            payload.writeBytes(new byte[] {0x11, 0x05, 0x40, 0, 0, 0, 0, 0, 0, 0}); // AMF3 double 2
            payload.writeBytes(new byte[] {0x11, 0x05, 0x40, 0x08, 0, 0, 0, 0, 0, 0}); // AMF3 double 3
            client.sendRaw(3, 17, 0, payload.toByteArray());
            TestCommand sum = client.expectAnswer(7.0);
            assertEquals("_result", sum.name());
            assertEquals(5.0, sum.argument(0));
        }
    }

    @Test
    void sendsSampleAccessAsDataAndDeliversTheClientsDataMessagesToCallHandlers() throws IOException, InterruptedException {
        BlockingQueue<List<Object>> notes = new LinkedBlockingQueue<>();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            connection.registerCallHandler("note", (c, name, o, a) -> {
                notes.add(a);
                return CallResult.success(null);
            });
            return app.handle(create, connection, object, args);
        });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            int stream = client.createStream();
            client.play(stream, "data");
            assertEquals(List.of("|RtmpSampleAccess", false, false), client.expectData("|RtmpSampleAccess"));
            client.sendRaw(8, 18, stream, TestAmf0.encode("note", "hello", 2.0));
            assertEquals(List.of("hello", 2.0), notes.poll(5, TimeUnit.SECONDS));
            TimeUnit.MILLISECONDS.sleep(300);
            assertTrue(client.drain().stream().noneMatch(m -> m.typeId() == 20
                    && TestCommand.of(TestAmf0.decode(m.payload())).name().startsWith("_")), "no answer to data");
        }
    }

    @Test
    void aCallHandlerThatThrowsAnswersErrorAndTheConnectionGoesOn() throws IOException {
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            connection.registerCallHandler("broken", (c, name, o, a) -> {
                throw new IOException("disk on fire at /var/lib/scene");
            });
            connection.registerCallHandler("setSpeed", (c, name, o, a) -> {
                throw new IllegalArgumentException("speed goes from 1 to 10");
            });
            return app.handle(create, connection, object, args);
        });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            TestCommand failed = client.expectAnswer(client.command(0, "broken", true, null));
            assertEquals("_error", failed.name());
            // A JDK exception's text may carry the server's internals: the client is told only that it failed.
            assertTrue(String.valueOf(failed.argument(0)).contains("procedure 'broken' failed on the server")
                    && !String.valueOf(failed.argument(0)).contains("/var/lib"), failed.toString());
            // An IllegalArgumentException is the application's word on the arguments: the client gets it.
            TestCommand refused = client.expectAnswer(client.command(0, "setSpeed", true, null, 11.0));
            assertTrue(String.valueOf(refused.argument(0)).contains("speed goes from 1 to 10"), refused.toString());
            assertEquals(3.0, client.expectAnswer(client.command(0, "add", true, null, 1.0, 2.0)).argument(0));
        }
    }

    @Test
    void serverCloseEndsLivePlayersWithEncoderFlushEndOfStreamAndPlayStop() throws IOException {
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.useCodec("screen video");
                    installEncoding(stream, new AtomicBoolean());
                }
                return true;
            });
            return true;
        });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            client.play(client.createStream(), "closing");
            waitFor("frames arrive").until(() -> client.video().size() >= 5);
            server.close();
            waitFor("the server closes the connection").until(client::serverClosed);
            List<RtmpTestClient.VideoFrame> frames = client.video();
            assertEquals(1 + FlushingEncoder.FLUSHED, frames.getLast().size(), "the encoder's last data is last");
            List<RtmpTestClient.Message> rest = client.drain();
            int eof = indexOf(rest, m -> m.typeId() == 4 && m.payload()[1] == 1);
            int playStop = indexOf(rest, m -> m.typeId() == 20
                    && TestAmf0.decode(m.payload()).toString().contains("NetStream.Play.Stop"));
            assertTrue(eof >= 0 && playStop > eof, "Stream EOF, then NetStream.Play.Stop: " + rest);
        }
    }

    @Test
    void aFrameHandlerBlockedPastTheStopSendsNothingAfterTheEndAndThePlayerPlaysAgain() throws Exception {
        AtomicBoolean block = new AtomicBoolean();
        InetSocketAddress address = start(RtmpServerOptions.builder().stopTimeout(Duration.ofMillis(200)).build(),
                (create, connection, object, args) -> {
                    connection.registerStreamEventHandler((created, stream, a) -> {
                        if (created) {
                            stream.useCodec("screen video");
                            installEncoding(stream, block);
                        }
                        return true;
                    });
                    return true;
                });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            int stream = client.createStream();
            client.play(stream, "stuck");
            waitFor("frames arrive").until(() -> client.video().size() >= 5);
            block.set(true);
            TimeUnit.MILLISECONDS.sleep(100);
            client.command(stream, "closeStream", false, null);
            client.expectStatus("NetStream.Play.Stop");
            int atStop = client.video().size();
            // The stuck handler wakes up after the stop and hands a frame to out: it must not reach the player.
            TimeUnit.MILLISECONDS.sleep(1500);
            assertEquals(atStop, client.video().size(), "nothing is sent after the end of the stream");
            block.set(false);
            client.play(stream, "again");
            client.expectStatus("NetStream.Play.Start");
            waitFor("the stream plays again").until(() -> client.video().size() >= atStop + 5);
            assertEquals(0, client.video().get(atStop).timestamp(), "a new playback starts its clock at 0");
        }
    }

    @Test
    void refusesPlaysPastTheServersLimitWithAStatus() throws IOException {
        InetSocketAddress address = start(RtmpServerOptions.builder().maxPlayingStreams(1).build());
        try (RtmpTestClient first = RtmpTestClient.open(address); RtmpTestClient second = RtmpTestClient.open(address)) {
            first.connect("live");
            first.play(first.createStream(), "one");
            first.expectStatus("NetStream.Play.Start");
            second.connect("live");
            second.play(second.createStream(), "two");
            Map<?, ?> failed = second.expectStatus("NetStream.Play.Failed");
            assertTrue(failed.get("description").toString().contains("most streams"), failed.toString());
        }
    }

    @Test
    void refusesConnectionsPastTheServersLimitWithAReasonAndServesOnceThereIsRoom() throws IOException {
        InetSocketAddress address = start(RtmpServerOptions.builder().maxConnections(1).build());
        try (RtmpTestClient first = RtmpTestClient.open(address)) {
            assertEquals("_result", first.connect("live").name());
            try (RtmpTestClient second = RtmpTestClient.open(address)) {
                TestCommand refused = second.connect("live");
                assertEquals("_error", refused.name());
                assertTrue(String.valueOf(refused.argument(0)).contains("most connections"), refused.toString());
            }
        }
        waitFor("the first connection's place is free").until(() -> server.limits().connections().used() == 0);
        try (RtmpTestClient later = RtmpTestClient.open(address)) {
            assertEquals("_result", later.connect("live").name());
        }
    }

    @Test
    void aThrowingFrameHandlerEndsItsOwnStreamOnly() throws IOException {
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            boolean ok = app.handle(create, connection, object, args);
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.registerRenderHandler(s -> true);
                    stream.registerFrameHandler((s, out, full) -> {
                        if (s.streamName().equals("broken")) {
                            throw new IOException("no more frames");
                        }
                        out.accept(new VideoData(ByteBuffer.wrap(new byte[] {0x17, 0}), true));
                        return true;
                    });
                }
                return true;
            });
            return ok;
        });
        try (RtmpTestClient broken = RtmpTestClient.open(address); RtmpTestClient fine = RtmpTestClient.open(address)) {
            broken.connect("live");
            fine.connect("live");
            fine.play(fine.createStream(), "fine");
            broken.play(broken.createStream(), "broken");
            broken.expectStatus("NetStream.Play.Stop");
            int before = fine.video().size();
            waitFor("the other stream plays on").until(() -> fine.video().size() > before + 10);
        }
    }

    @Test
    void theFrameHandlersOutTakesOneFrameOnItsThreadWhileTheHandlerRuns() throws Exception {
        AtomicReference<java.util.function.Consumer<VideoData>> kept = new AtomicReference<>();
        AtomicReference<String> secondFrame = new AtomicReference<>();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.registerRenderHandler(s -> true);
                    stream.registerFrameHandler((s, out, full) -> {
                        VideoData frame = new VideoData(ByteBuffer.wrap(new byte[] {0x17, 0}), true);
                        out.accept(frame);
                        try {
                            out.accept(frame);
                        } catch (IllegalStateException e) {
                            secondFrame.set(e.getMessage());
                        }
                        kept.set(out);
                        return true;
                    });
                }
                return true;
            });
            return true;
        });
        try (RtmpTestClient client = RtmpTestClient.open(address)) {
            client.connect("live");
            client.play(client.createStream(), "contract");
            waitFor("the handler ran").until(() -> kept.get() != null && secondFrame.get() != null);
            assertTrue(secondFrame.get().contains("one frame per call"), secondFrame.get());
            IllegalStateException late = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                    () -> kept.get().accept(new VideoData(ByteBuffer.wrap(new byte[] {0x17}), true)));
            assertTrue(late.getMessage().contains("frame thread"), late.getMessage());
        }
    }

    @Test
    void anHevcStreamGoesOnlyToAClientThatListedIt() throws IOException {
        InetSocketAddress address = start(RtmpServerOptions.defaults(), (create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.useCodec("hevc");
                    installEncoding(stream, new AtomicBoolean());
                }
                return true;
            });
            return true;
        });
        try (RtmpTestClient classic = RtmpTestClient.open(address)) {
            classic.connect("live");
            classic.play(classic.createStream(), "hevc");
            Map<?, ?> failed = classic.expectStatus("NetStream.Play.Failed");
            assertTrue(failed.get("description").toString().contains("hvc1"), failed.toString());
        }
        try (RtmpTestClient enhanced = RtmpTestClient.open(address)) {
            double connect = enhanced.command(0, "connect", true, Map.of("app", "live",
                    "fourCcList", List.of("hvc1", "av01", "vp09")));
            TestCommand answer = enhanced.expectAnswer(connect);
            assertEquals(List.of("hvc1", "av01"), ((Map<?, ?>) answer.commandObject()).get("fourCcList"),
                    "the server answers with the FourCCs it sends that the client listed");
            enhanced.play(enhanced.createStream(), "hevc");
            enhanced.expectStatus("NetStream.Play.Start");
        }
    }

    @Test
    void optionsAreCheckedWithClearErrors() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RtmpServerOptions.builder().chunkSize(64).build());
        assertTrue(e.getMessage().contains("chunkSize") && e.getMessage().contains("64"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> RtmpServerOptions.builder().broadcastWriteDelay(java.time.Duration.ofSeconds(2)).build());
        assertTrue(e.getMessage().contains("broadcastWriteDelay") && e.getMessage().contains("PT2S"), e.getMessage());
        assertEquals(java.time.Duration.ZERO, RtmpServerOptions.builder().broadcastWriteDelay(java.time.Duration.ZERO)
                .build().broadcastWriteDelay(), "zero: each frame written at once");
    }

    /** A render handler that does nothing and a frame handler that encodes a blank canvas, blocking on demand. */
    private static void installEncoding(Stream stream, AtomicBoolean block) {
        io.rendercast.video.RgbaCanvas canvas = new io.rendercast.video.RgbaCanvas(16, 16);
        stream.registerRenderHandler(s -> true);
        stream.registerFrameHandler((s, out, full) -> {
            VideoEncoder encoder = s.videoEncoder();
            if (!encoder.isInitialized()) {
                encoder.init(16, 16);
            }
            VideoData frame = encoder.encode(canvas);
            while (block.get()) {
                TimeUnit.MILLISECONDS.sleep(10);
            }
            if (!full) {
                out.accept(frame);
            }
            return true;
        });
    }

    private static int indexOf(List<RtmpTestClient.Message> messages,
                               java.util.function.Predicate<RtmpTestClient.Message> wanted) {
        for (int i = 0; i < messages.size(); i++) {
            if (wanted.test(messages.get(i))) {
                return i;
            }
        }
        return -1;
    }

    /** An encoder that makes 100-byte key frames and holds {@value #FLUSHED} bytes until it is closed. */
    private static final class FlushingEncoder extends ParameterlessEncoder {
        static final int FLUSHED = 777;
        private boolean initialized;

        @Override
        public String identifier() {
            return "screen video";
        }

        @Override
        public VideoData init(int width, int height) {
            initialized = true;
            return VideoData.EMPTY;
        }

        @Override
        public boolean isInitialized() {
            return initialized;
        }

        @Override
        public VideoData encode(Canvas canvas) {
            return new VideoData(ByteBuffer.allocateDirect(100), true);
        }

        @Override
        public void requestKeyFrame() {
        }

        @Override
        public VideoData close() {
            boolean held = initialized;
            initialized = false;
            return held ? new VideoData(ByteBuffer.allocate(FLUSHED), true) : VideoData.EMPTY;
        }
    }
}
