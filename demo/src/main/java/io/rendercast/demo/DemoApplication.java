package io.rendercast.demo;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ConnectionRefusedException;
import io.rendercast.rtmp.ControlPolicy;
import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoderException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The demo's handlers: accepts connections to app {@code live}, streams the {@link DemoScene} as H.264 on
 * every stream, and lets a viewer change it with the calls {@code setColor(rgb)} and
 * {@code moveCamera(dx, dy)}. Each connection has its own scene state; the broadcast's one scene is steered by
 * its controller, who asked for control first ({@code requestControl}; with {@code --control-token}, only those
 * who present it may), and watched by the rest. A viewer's {@code name} (a query field, as the token) is what the
 * others see the controller called.
 */
public final class DemoApplication implements ConnectHandler {

    private static final System.Logger LOG = System.getLogger(DemoApplication.class.getName());
    /** The app name players connect to: {@code rtmp://host/live/anything}. */
    public static final String APP = "live";
    /** The stream name of the demo's broadcast: one scene for every player of {@code live/broadcast}. */
    public static final String BROADCAST = "broadcast";
    static final int LOWER_RENDITION_PERCENT = 40;
    /** Whether a connection presented the control token (--control-token), so may steer the broadcast. */
    private static final String MAY_CONTROL = "user_mayControl";

    /**
     * Whether input is rendered at once ({@link Stream#requestRender}); {@code -Drendercast.demo.renderOnInput=false}
     * leaves it to the next tick, for the benchmark's A/B.
     */
    private static final boolean RENDER_ON_INPUT = !"false".equals(System.getProperty("rendercast.demo.renderOnInput"));

    private final DemoOptions options;

    public DemoApplication(DemoOptions options) {
        this.options = options;
    }

    @Override
    public boolean handle(boolean isCreate, Connection connection, Map<String, Object> commandObject,
                          List<Object> arguments) throws ConnectionRefusedException {
        if (!isCreate) {
            LOG.log(System.Logger.Level.INFO, "player {0} left after {1}", connection.peerAddress(),
                    connection.statistics());
            return true;
        }
        String app = String.valueOf(commandObject.get("app"));
        if (!APP.equals(app.replaceFirst("[?/].*", ""))) {
            return false;
        }
        String token = presented("token", commandObject, arguments);
        if (options.token() != null && !options.token().equals(token)) {
            // Refused here, before any stream, encoder or thread exists for the client.
            throw new ConnectionRefusedException("wrong or missing token");
        }
        boolean mayControl = options.controlToken() != null && options.controlToken().equals(token);
        if (options.viewToken() != null && !options.viewToken().equals(token) && !mayControl) {
            throw new ConnectionRefusedException("wrong or missing view token");
        }
        connection.setProperty(MAY_CONTROL, mayControl);
        String viewerName = presented("name", commandObject, arguments);
        if (viewerName != null && !viewerName.isBlank()) {
            String shown = viewerName.strip();
            connection.setProperty(Broadcast.CONTROLLER_NAME_PROPERTY, shown.substring(0, Math.min(shown.length(), 40)));
        }
        AtomicReference<SceneState> state = new AtomicReference<>(SceneState.INITIAL);
        // Input is rendered at once, not at the next tick: the streams it shows on are asked for a render.
        Set<Stream> streams = ConcurrentHashMap.newKeySet();
        Runnable renderNow = () -> streams.forEach(Stream::requestRender);
        connection.registerCallHandler("setColor",
                (c, name, object, args) -> rendered(setColor(state, args), renderNow));
        connection.registerCallHandler("moveCamera",
                (c, name, object, args) -> rendered(moveCamera(state, args), renderNow));
        connection.registerStreamEventHandler((create, stream, args) -> {
            if (!create) {
                streams.remove(stream);
                return true;
            }
            // Only a stream that starts: a refused one gets no delete event to take it out again.
            boolean started = startStream(stream, state);
            if (started) {
                streams.add(stream);
            }
            return started;
        });
        return true;
    }

    /**
     * What a client presents as {@code key}: a field of a connect argument object (the viewer page's query becomes
     * one), or {@code key=} in the query of the app or tcUrl ({@code rtmp://host/live?token=SECRET/demo}).
     */
    static String presented(String key, Map<String, Object> commandObject, List<Object> arguments) {
        for (Object argument : arguments) {
            if (argument instanceof Map<?, ?> map && map.get(key) instanceof String value) {
                return value;
            }
        }
        for (String field : List.of("app", "tcUrl")) {
            java.util.regex.Matcher query = java.util.regex.Pattern.compile("[?&]" + key + "=([^&/]*)")
                    .matcher(String.valueOf(commandObject.get(field)));
            if (query.find()) {
                return java.net.URLDecoder.decode(query.group(1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** {@code result}, once {@code renderNow} asked for the input to be rendered, if it changed the scene. */
    private static CallResult rendered(CallResult result, Runnable renderNow) {
        if (result.succeeded() && RENDER_ON_INPUT) {
            renderNow.run();
        }
        return result;
    }

    static CallResult setColor(AtomicReference<SceneState> state, List<Object> args) {
        if (args.isEmpty()) {
            return CallResult.error("setColor takes a colour: a number 0xRRGGBB or a string \"#rrggbb\"");
        }
        Object value = args.getFirst();
        try {
            int rgb = value instanceof Number n ? n.intValue()
                    : Integer.parseInt(String.valueOf(value).replaceFirst("^#", ""), 16);
            return CallResult.success(String.format("#%06x", state.updateAndGet(s -> s.withColor(rgb)).color()));
        } catch (NumberFormatException e) {
            return CallResult.error("setColor takes 0xRRGGBB or \"#rrggbb\", got " + value);
        }
    }

    static CallResult moveCamera(AtomicReference<SceneState> state, List<Object> args) {
        if (args.size() < 2 || !(args.get(0) instanceof Number dx) || !(args.get(1) instanceof Number dy)) {
            return CallResult.error("moveCamera takes two numbers: dx and dy in pixels");
        }
        SceneState moved = state.updateAndGet(s -> s.movedBy(dx.intValue(), dy.intValue()));
        return CallResult.success(Map.of("x", (double) moved.cameraX(), "y", (double) moved.cameraY()));
    }

    /**
     * Starts the demo's broadcast on {@code server}: one scene, rendered and encoded once (H.264, which every
     * player plays) for every player of {@code live/broadcast}; a player who joins starts at once from the
     * pictures since the last key frame. It renders only while someone watches. Rendered on the CPU, into the
     * server's managed canvases, it has a lower rendition at {@value #LOWER_RENDITION_PERCENT} % of the bit rate
     * for players whose path is slower than the shared encode.
     */
    public Broadcast startBroadcast(RtmpServer server) {
        Broadcast broadcast = server.startBroadcast(APP, BROADCAST, Broadcast.Join.CACHED_PICTURES);
        AtomicReference<SceneState> state = new AtomicReference<>(SceneState.INITIAL);
        // Its controllers steer it with the calls a player's own stream takes; the others watch.
        Runnable renderNow = () -> broadcast.stream().requestRender();
        broadcast.registerCallHandler("setColor",
                (c, name, object, args) -> rendered(setColor(state, args), renderNow));
        broadcast.registerCallHandler("moveCamera",
                (c, name, object, args) -> rendered(moveCamera(state, args), renderNow));
        broadcast.setControlPolicy(options.controlToken() == null ? ControlPolicy.FIRST_ASKS
                : (b, asking) -> !Boolean.TRUE.equals(asking.getProperty(MAY_CONTROL)) ? ControlPolicy.Answer.REFUSE
                        : ControlPolicy.FIRST_ASKS.requested(b, asking));
        if (!setUpStream(broadcast.stream(), state, options.withCodec("h264"))) {
            broadcast.close();
            throw new IllegalStateException("the broadcast has no H.264 encoder; see the log");
        }
        if (options.canvas().equals("cpu")) {
            broadcast.addRendition(options.bitrate() * LOWER_RENDITION_PERCENT / 100);
        }
        return broadcast;
    }

    private boolean startStream(Stream stream, AtomicReference<SceneState> state) {
        return setUpStream(stream, state, options);
    }

    private boolean setUpStream(Stream stream, AtomicReference<SceneState> state, DemoOptions options) {
        FrameEncoder frameEncoder;
        try {
            frameEncoder = FrameEncoder.forStream(stream, options);
        } catch (VideoEncoderException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot stream {0}: {1}", stream.streamName(), e.getMessage());
            return false;
        }
        stream.setProperty(Stream.RENDER_RATE, options.fps());
        if (options.canvas().equals("cpu") && frameEncoder.isTheStreams()) {
            // Managed mode: the server owns the canvases, converts each on the render thread, encodes the newest.
            stream.registerCanvasRenderHandler(options.width(), options.height(), new CpuSceneRenderer(state));
        } else {
            registerOwnHandlers(stream, state, options, frameEncoder);
        }
        stream.registerPlayHandler((start, s, out) -> {
            if (!start) {
                frameEncoder.close();
            }
            return true;
        });
        LOG.log(System.Logger.Level.INFO, "streaming {0} as {1} to {2}", stream.streamName(),
                stream.videoEncoder() == null ? options.codec() : stream.videoEncoder().identifier(),
                stream.connection() == null ? "every player of the broadcast" : stream.connection().peerAddress());
        return true;
    }

    /**
     * The demo's own render and frame handlers, for what managed mode does not do: frames in GPU memory, and codec
     * {@code none}, where the demo encodes and packs the frames itself.
     */
    private static void registerOwnHandlers(Stream stream, AtomicReference<SceneState> state, DemoOptions options,
                                            FrameEncoder frameEncoder) {
        FrameHandoff<RgbaCanvas> canvases = new FrameHandoff<>(new RgbaCanvas(options.width(), options.height()),
                new RgbaCanvas(options.width(), options.height()), new RgbaCanvas(options.width(), options.height()));
        AtomicReference<FrameHandoff<CudaCanvas>> onGpu = new AtomicReference<>();
        stream.registerRenderHandler(options.canvas().equals("gpu")
                ? new GpuSceneRenderer(canvases, onGpu, state, options.width(), options.height(),
                        frameEncoder::prepare)
                : new CpuSceneRenderer(state).into(canvases, frameEncoder::prepare));
        stream.registerFrameHandler((s, out, outQueueIsFull) -> {
            if (outQueueIsFull) {
                return true; // the player is behind: encoding now would be wasted work
            }
            // Frames in GPU memory are encoded where they are: no copy to the host.
            FrameHandoff<CudaCanvas> gpu = onGpu.get();
            return gpu != null ? encodeNewest(s, gpu, frameEncoder::encode, out)
                    : encodeNewest(s, canvases, frameEncoder::encode, out);
        });
    }

    /** Encodes one kind of canvas: RGBA in host memory, or NV12 in GPU memory. */
    @FunctionalInterface
    private interface CanvasEncoding<C> {
        VideoData encode(C canvas) throws VideoEncoderException;
    }

    /**
     * Encodes the newest finished frame, if one was finished since the last, holding it until done; false,
     * logged, when the encoder fails.
     */
    private static <C> boolean encodeNewest(Stream stream, FrameHandoff<C> frames, CanvasEncoding<C> encoding,
                                            Consumer<VideoData> out) {
        C canvas = frames.beginEncode();
        if (canvas == null) {
            return true;
        }
        try {
            out.accept(encoding.encode(canvas));
            return true;
        } catch (VideoEncoderException e) {
            LOG.log(System.Logger.Level.ERROR, "encoding failed on {0}: {1}", stream.streamName(), e.getMessage());
            return false;
        } finally {
            frames.finishEncode();
        }
    }
}
