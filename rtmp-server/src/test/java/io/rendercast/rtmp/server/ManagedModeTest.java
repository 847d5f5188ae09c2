package io.rendercast.rtmp.server;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.CanvasRenderHandler;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.video.Canvas;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Managed mode: the server's own canvases, drawn by a canvas render handler, converted on the render thread and
 * encoded on the frame thread, with no lock in the application. The encoder here is a fake that tracks each canvas
 * by identity, and writes the render number a canvas holds into the size of its frame, so that a player's frame
 * sizes tell which render it got.
 */
@ExtendWith(LeakCheckExtension.class)
class ManagedModeTest {

    private static final int WIDTH = 64;
    private static final int HEIGHT = 36;

    private final RecordingEncoder encoder = new RecordingEncoder();
    private final Drawing drawing = new Drawing(encoder);
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private InetSocketAddress start(RtmpServerOptions options, Consumer<Stream> setUp) throws IOException {
        server = new NettyRtmpServer(options, codec -> encoder);
        server.addConnectHandler((create, connection, object, args) -> {
            connection.registerStreamEventHandler((created, stream, a) -> {
                if (created) {
                    stream.setProperty(Stream.RENDER_RATE, 60);
                    setUp.accept(stream);
                }
                return true;
            });
            return true;
        });
        server.start(new InetSocketAddress("127.0.0.1", 0));
        return server.listenAddress();
    }

    private static void useCodec(Stream stream) {
        try {
            stream.useCodec("screen video");
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static RtmpTestClient play(InetSocketAddress address, String name) throws IOException {
        RtmpTestClient client = RtmpTestClient.open(address);
        client.connect("live");
        client.play(client.createStream(), name);
        return client;
    }

    @Test
    void aStreamInManagedModePlaysItsCanvasesPreparedOnTheRenderThreadAndEncodedOnTheFrameThread() throws Exception {
        AtomicInteger ownHandlerCalls = new AtomicInteger();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), stream -> {
            useCodec(stream);
            stream.registerCanvasRenderHandler(WIDTH, HEIGHT, drawing);
            // Registered as well, and never called while the canvas render handler is.
            stream.registerRenderHandler(s -> ownHandlerCalls.incrementAndGet() > 0);
            stream.registerFrameHandler((s, out, full) -> ownHandlerCalls.incrementAndGet() > 0);
        });
        try (RtmpTestClient client = play(address, "managed")) {
            waitFor("frames arrive").until(() -> client.video().size() >= 30);
            List<RtmpTestClient.VideoFrame> frames = client.video();
            assertTrue(frames.getFirst().keyFrame(), "the first frame is a key frame");
            assertEquals(0, frames.getFirst().timestamp(), "the first frame is at 0");
            int lastRender = 0;
            for (int i = 1; i < frames.size(); i++) {
                assertTrue(frames.get(i).timestamp() > frames.get(i - 1).timestamp(), "stamps increase: " + frames);
                int render = RecordingEncoder.renderOf(frames.get(i));
                assertTrue(render > lastRender, "each frame a later render than the one before: " + frames);
                lastRender = render;
            }
        }
        assertEquals(0, ownHandlerCalls.get(), "the application's own render and frame handlers are not called");
        assertEquals(List.of(), drawing.problems);
        assertEquals(List.of(), encoder.problems);
        assertTrue(drawing.threads.stream().allMatch(t -> t.startsWith("rtmp-render-")), drawing.threads.toString());
        assertTrue(encoder.prepareThreads.stream().allMatch(t -> t.startsWith("rtmp-render-")),
                "prepared on the render thread: " + encoder.prepareThreads);
        assertTrue(encoder.encodeThreads.stream().allMatch(t -> t.startsWith("rtmp-frame-")),
                "encoded on the frame thread: " + encoder.encodeThreads);
        assertEquals(WIDTH + "x" + HEIGHT + " on rtmp-frame-", encoder.initialized,
                "the server initialises the encoder at the canvases' size");
    }

    @Test
    void theRenderHandlerNeverGetsACanvasBeingEncodedAndNoCanvasIsEncodedTwice() throws Exception {
        encoder.encodeMillis = 25; // slower than the 60 fps render clock: the render thread is always ahead
        InetSocketAddress address = start(RtmpServerOptions.defaults(), stream -> {
            useCodec(stream);
            stream.registerCanvasRenderHandler(WIDTH, HEIGHT, drawing);
        });
        try (RtmpTestClient client = play(address, "slow encoder")) {
            waitFor("frames are encoded").until(() -> encoder.encoded.size() >= 40);
        }
        assertEquals(List.of(), drawing.problems, "the render handler got no canvas being encoded");
        assertEquals(List.of(), encoder.problems, "no canvas was encoded while drawn, or encoded unprepared");
        List<Integer> encoded = List.copyOf(encoder.encoded);
        for (int i = 1; i < encoded.size(); i++) {
            assertTrue(encoded.get(i) > encoded.get(i - 1), "no render encoded twice, nor an older after a newer: "
                    + encoded);
        }
        assertTrue(drawing.renders.get() > encoded.size() + 5, "renders the frame thread had no time for are "
                + "skipped: " + drawing.renders.get() + " renders, " + encoded.size() + " encoded");
        assertEquals(3, drawing.canvases.size(), "three canvases take turns");
    }

    @Test
    void theEncodedFrameHandlerSeesEachFrameOnTheFrameThreadAndDecidesWhetherItIsSent() throws Exception {
        List<Integer> seen = new CopyOnWriteArrayList<>();
        List<Integer> sent = new CopyOnWriteArrayList<>();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        InetSocketAddress address = start(RtmpServerOptions.defaults(), stream -> {
            useCodec(stream);
            stream.registerCanvasRenderHandler(WIDTH, HEIGHT, (s, canvas) -> drawing.render(s, canvas)
                    && drawing.renders.get() < 60);
            stream.registerEncodedFrameHandler((s, frame) -> {
                threads.add(Thread.currentThread().getName());
                int render = frame.data().getInt(frame.data().position());
                seen.add(render);
                boolean send = seen.size() % 4 != 2;
                if (send) {
                    sent.add(render);
                }
                return send;
            });
        });
        try (RtmpTestClient client = play(address, "inspected")) {
            client.expectStatus("NetStream.Play.Stop"); // the render handler stops at the 60th render
            assertEquals(encoder.encoded, seen, "the handler sees every frame encoded, in order");
            List<Integer> received = client.video().stream().map(RecordingEncoder::renderOf).toList();
            assertEquals(sent, received, "the player gets exactly the frames the handler let through");
            assertTrue(seen.size() > sent.size(), "some were dropped");
            List<RtmpTestClient.VideoFrame> frames = client.video();
            for (int i = 1; i < frames.size(); i++) {
                int before = seen.indexOf(RecordingEncoder.renderOf(frames.get(i - 1)));
                int at = seen.indexOf(RecordingEncoder.renderOf(frames.get(i)));
                if (at > before + 1) {
                    assertTrue(frames.get(i).keyFrame(), "the first frame after a dropped one is a key frame");
                }
            }
        }
        assertTrue(threads.stream().allMatch(t -> t.startsWith("rtmp-frame-")), threads.toString());
    }

    @Test
    void nothingIsEncodedWhileThePlayerIsBehind() throws Exception {
        encoder.padding = 100_000;
        InetSocketAddress address = start(RtmpServerOptions.builder().outQueueFrames(2)
                .writeBuffer(32 << 10, 64 << 10).build(), stream -> {
                    useCodec(stream);
                    stream.registerCanvasRenderHandler(WIDTH, HEIGHT, drawing);
                });
        try (RtmpTestClient client = RtmpTestClient.open(address, 4096)) {
            client.connect("live");
            int id = client.createStream();
            client.pauseReading();
            client.play(id, "stalled");
            waitFor("encoding starts").until(() -> encoder.encoded.size() > 0);
            TimeUnit.MILLISECONDS.sleep(1000); // the queue fills within a few frames
            int encodedBefore = encoder.encoded.size();
            int rendersBefore = drawing.renders.get();
            TimeUnit.MILLISECONDS.sleep(1000);
            assertTrue(encoder.encoded.size() - encodedBefore <= 1, "no encoding while the player is behind: "
                    + (encoder.encoded.size() - encodedBefore) + " frames in 1 s");
            assertTrue(drawing.renders.get() - rendersBefore <= 2, "rendering idles while the player is behind");
            client.resumeReading();
            waitFor("encoding goes on once it catches up").until(() -> encoder.encoded.size() > encodedBefore + 10);
        }
        assertEquals(List.of(), drawing.problems);
        assertEquals(List.of(), encoder.problems);
    }

    @Test
    void aStreamInManagedModeWithoutACodecStopsBeforeItsFirstRender() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.defaults(),
                stream -> stream.registerCanvasRenderHandler(WIDTH, HEIGHT, drawing));
        try (RtmpTestClient client = play(address, "no codec")) {
            client.expectStatus("NetStream.Play.Stop");
        }
        assertEquals(0, drawing.renders.get(), "nothing drawn for an encoder that is not there");
    }

    @Test
    void aBroadcastRendersIntoManagedCanvasesToo() throws Exception {
        start(RtmpServerOptions.defaults(), stream -> {
        });
        Broadcast broadcast = server.startBroadcast("live", "shared", Broadcast.Join.CACHED_PICTURES);
        useCodec(broadcast.stream());
        broadcast.stream().registerCanvasRenderHandler(WIDTH, HEIGHT, drawing);
        try (RtmpTestClient first = play(server.listenAddress(), "shared");
             RtmpTestClient second = play(server.listenAddress(), "shared")) {
            waitFor("both players play").until(() -> first.video().size() >= 20 && second.video().size() >= 20);
        }
        assertEquals(List.of(), drawing.problems);
        assertEquals(List.of(), encoder.problems);
    }

    @Test
    void aCanvasSizeThatCannotBeIsRefusedAtRegistration() throws Exception {
        start(RtmpServerOptions.defaults(), stream -> {
        });
        Stream stream = server.startBroadcast("live", "sized", Broadcast.Join.CACHED_PICTURES).stream();
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> stream.registerCanvasRenderHandler(0, 720, drawing));
        assertTrue(e.getMessage().contains("0x720"), e.getMessage());
        stream.registerCanvasRenderHandler(0, 0, null); // null leaves managed mode: the size does not matter
    }

    /** A canvas render handler that numbers its renders in the canvas and checks whom else has the canvas. */
    private static final class Drawing implements CanvasRenderHandler {
        final RecordingEncoder encoder;
        final AtomicInteger renders = new AtomicInteger();
        final List<String> problems = new CopyOnWriteArrayList<>();
        final Set<String> threads = ConcurrentHashMap.newKeySet();
        final Set<RgbaCanvas> canvases = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

        Drawing(RecordingEncoder encoder) {
            this.encoder = encoder;
        }

        @Override
        public boolean render(Stream stream, RgbaCanvas canvas) {
            int render = renders.incrementAndGet();
            threads.add(Thread.currentThread().getName());
            canvases.add(canvas);
            encoder.drawingNow.add(canvas);
            if (encoder.encodingNow.contains(canvas)) {
                problems.add("render " + render + " was given the canvas being encoded");
            }
            canvas.setPixel(0, 0, render);
            canvas.setPixel(WIDTH - 1, HEIGHT - 1, render); // the whole picture, first to last pixel
            encoder.drawingNow.remove(canvas);
            return true;
        }
    }

    /**
     * A Screen Video encoder that tracks canvases by identity: which are being encoded now, which were prepared
     * for which render; makes a key frame first and when asked.
     */
    static final class RecordingEncoder extends ParameterlessEncoder {
        final Set<Canvas> encodingNow = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final Set<Canvas> drawingNow = Collections.synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));
        final List<Integer> encoded = new CopyOnWriteArrayList<>();
        final Map<Canvas, Integer> prepared = Collections.synchronizedMap(new IdentityHashMap<>());
        final List<String> problems = new CopyOnWriteArrayList<>();
        final Set<String> prepareThreads = ConcurrentHashMap.newKeySet();
        final Set<String> encodeThreads = ConcurrentHashMap.newKeySet();
        volatile String initialized;
        volatile long encodeMillis;
        volatile int padding;
        private volatile boolean keyFrameDue = true;

        /** The render a player's frame came from: the frame is the render's number, then as many bytes (no padding). */
        static int renderOf(RtmpTestClient.VideoFrame frame) {
            return frame.size() - 1 - 4; // the FLV tag header's byte, the number
        }

        @Override
        public String identifier() {
            return "screen video";
        }

        @Override
        public VideoData init(int width, int height) {
            initialized = width + "x" + height + " on " + Thread.currentThread().getName().replaceAll("[0-9-]+$", "-");
            return VideoData.EMPTY;
        }

        @Override
        public boolean isInitialized() {
            return initialized != null;
        }

        @Override
        public void prepare(Canvas canvas) {
            prepareThreads.add(Thread.currentThread().getName());
            prepared.put(canvas, ((RgbaCanvas) canvas).pixel(0, 0));
        }

        @Override
        public VideoData encode(Canvas canvas) {
            encodeThreads.add(Thread.currentThread().getName());
            int render = ((RgbaCanvas) canvas).pixel(0, 0);
            if (!encodingNow.add(canvas)) {
                problems.add("render " + render + ": its canvas is encoded twice at once");
            }
            if (drawingNow.contains(canvas)) {
                problems.add("render " + render + ": encoded while it is drawn");
            }
            Integer preparedFor = prepared.remove(canvas);
            if (preparedFor == null || preparedFor != render) {
                problems.add("render " + render + ": not prepared for this render, but for " + preparedFor);
            }
            if (((RgbaCanvas) canvas).pixel(WIDTH - 1, HEIGHT - 1) != render) {
                problems.add("render " + render + ": encoded half drawn");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(encodeMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            encodingNow.remove(canvas);
            encoded.add(render);
            boolean key = keyFrameDue;
            keyFrameDue = false;
            ByteBuffer frame = ByteBuffer.allocateDirect(4 + padding + render);
            return new VideoData(frame.putInt(0, render), key);
        }

        @Override
        public void requestKeyFrame() {
            keyFrameDue = true;
        }

        @Override
        public VideoData close() {
            return VideoData.EMPTY;
        }
    }
}
