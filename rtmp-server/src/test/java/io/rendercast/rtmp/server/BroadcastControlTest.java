package io.rendercast.rtmp.server;

import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.Broadcast;
import io.rendercast.rtmp.BroadcastStatistics;
import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.ControlPolicy;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One broadcast, steered by its controllers and watched by the rest: only a controller's call of the broadcast's
 * procedures reaches them, a watcher asks for control and the policy answers, control passes on as it is released
 * or its holder leaves, and every watcher is told who controls.
 */
@ExtendWith(LeakCheckExtension.class)
class BroadcastControlTest {

    private final TestApplication app = new TestApplication(1000, 10, 30);
    private final AtomicInteger steered = new AtomicInteger();
    private NettyRtmpServer server;
    private Broadcast broadcast;

    @BeforeEach
    void start() throws Exception {
        // Watchers' frames are held 300 ms to be written together; a controller's are not.
        server = app.serve(RtmpServerOptions.builder().broadcastWriteDelay(java.time.Duration.ofMillis(300)).build());
        broadcast = server.startBroadcast("live", "shared", Broadcast.Join.CACHED_PICTURES);
        app.install(broadcast.stream());
        broadcast.registerCallHandler("steer", (connection, name, object, args) -> {
            steered.incrementAndGet();
            return CallResult.success("steered");
        });
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RtmpTestClient watch() throws Exception {
        RtmpTestClient client = RtmpTestClient.open(server.listenAddress());
        client.connect("live");
        client.play(client.createStream(), "shared");
        client.expectStatus("NetStream.Play.Start");
        return client;
    }

    private static TestCommand call(RtmpTestClient client, String procedure) throws Exception {
        return client.expectAnswer(client.command(0, procedure, true, null));
    }

    /** Reads {@code onControl} messages until one matches. */
    private static Map<?, ?> expectControl(RtmpTestClient client, Predicate<Map<?, ?>> wanted) {
        for (int i = 0; i < 20; i++) {
            Map<?, ?> state = (Map<?, ?>) client.expectData("onControl").get(1);
            if (wanted.test(state)) {
                return state;
            }
        }
        throw new AssertionError("no such onControl");
    }

    private String metrics() throws java.io.IOException {
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        server.metrics().write(text);
        return text.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static boolean role(Map<?, ?> state, String role) {
        return role.equals(state.get("role"));
    }

    private static String error(TestCommand answer) {
        assertEquals("_error", answer.name(), answer.toString());
        return String.valueOf(((Map<?, ?>) answer.argument(0)).get("description"));
    }

    @Test
    void onlyAControllersCallSteersAndControlIsAskedForQueuedAndHandedOver() throws Exception {
        broadcast.setControlPolicy(ControlPolicy.FIRST_ASKS);
        try (RtmpTestClient first = watch(); RtmpTestClient second = watch()) {
            Map<?, ?> told = expectControl(second, s -> true);
            assertTrue(role(told, "watcher") && ((List<?>) told.get("controllers")).isEmpty(), told.toString());

            // No one controls yet: a watcher's call of the broadcast's procedure never reaches it.
            String refused = error(call(first, "steer"));
            assertTrue(refused.contains("no one controls it") && refused.contains("requestControl"), refused);
            assertEquals(0, steered.get());

            TestCommand granted = call(first, "requestControl");
            assertEquals("controller", ((Map<?, ?>) granted.argument(0)).get("role"), granted.toString());
            Map<?, ?> seen = expectControl(second, s -> ((List<?>) s.get("controllers")).size() == 1);
            assertTrue(role(seen, "watcher"), seen.toString());
            assertEquals(2.0, seen.get("watchers"));
            assertEquals("_result", call(first, "steer").name());
            assertEquals(1, steered.get());
            String gauges = metrics();
            assertTrue(gauges.contains("rendercast_broadcast_controllers 1.0")
                    && gauges.contains("rendercast_broadcast_watchers 2.0"), gauges);
            assertEquals(1, broadcast.statistics().controllers());
            assertEquals(1, broadcast.statistics().watchers(), "the controller is not counted as a watcher");

            refused = error(call(second, "steer"));
            assertTrue(refused.contains("controls it"), refused);
            assertEquals(1, steered.get(), "a watcher's call changed the scene");

            TestCommand queued = call(second, "requestControl");
            assertEquals(Map.of("role", "queued", "controllers", List.of(names(broadcast).getFirst()),
                    "watchers", 2.0, "position", 1.0), queued.argument(0));

            assertEquals("watcher", ((Map<?, ?>) call(first, "releaseControl").argument(0)).get("role"));
            expectControl(second, s -> role(s, "controller"));
            assertEquals("_result", call(second, "steer").name());
            assertEquals(2, steered.get());
            assertTrue(error(call(first, "steer")).contains("controls it"), "the first gave control up");

            // The controller leaves: control is free.
            second.close();
            expectControl(first, s -> ((List<?>) s.get("controllers")).isEmpty());
            waitFor("no controller").until(() -> broadcast.controllers().isEmpty());
            // Granted, queued, handed over, and freed by the leaving controller.
            BroadcastStatistics statistics = broadcast.statistics();
            assertEquals(4, statistics.controlChanges(), statistics.toString());
            assertEquals(3, statistics.controlCallsRefused(), statistics.toString());
            assertEquals(0, statistics.controllers(), statistics.toString());
            waitFor("the watcher left").until(() -> broadcast.statistics().watchers() == 1);
        }
        String metrics = metrics();
        assertTrue(metrics.contains("rendercast_control_calls_refused_total 3.0"), metrics);
    }

    @Test
    void watchersAreToldHowManyWatchAsTheAudienceChanges() throws Exception {
        try (RtmpTestClient first = watch()) {
            expectControl(first, s -> Double.valueOf(1).equals(s.get("watchers")));
            try (RtmpTestClient second = watch(); RtmpTestClient third = watch()) {
                expectControl(first, s -> Double.valueOf(3).equals(s.get("watchers")));
            }
            expectControl(first, s -> Double.valueOf(1).equals(s.get("watchers")));
        }
    }

    @Test
    void theApplicationGrantsAndRevokesAndByDefaultRefusesRequests() throws Exception {
        try (RtmpTestClient watcher = watch()) {
            String refused = error(call(watcher, "requestControl"));
            assertTrue(refused.contains("control of 'live/shared' is not to be had"), refused);

            Connection connection = server.connections().iterator().next();
            connection.setProperty(Broadcast.CONTROLLER_NAME_PROPERTY, "Ada");
            broadcast.grantControl(connection);
            Map<?, ?> told = expectControl(watcher, s -> role(s, "controller"));
            assertEquals(List.of("Ada"), told.get("controllers"));
            assertEquals("_result", call(watcher, "steer").name());

            broadcast.revokeControl(connection);
            expectControl(watcher, s -> role(s, "watcher"));
            assertTrue(error(call(watcher, "steer")).contains("no one controls it"));
            assertEquals(1, steered.get());
        }
    }

    @Test
    void aControllersFramesGoOutAsTheyAreMadeWhileTheWatchersAreWrittenTogether() throws Exception {
        broadcast.setControlPolicy(ControlPolicy.FIRST_ASKS);
        try (RtmpTestClient controller = watch(); RtmpTestClient watcher = watch()) {
            assertEquals("controller", ((Map<?, ?>) call(controller, "requestControl").argument(0)).get("role"));
            int from = controller.video().size();
            int watcherFrom = watcher.video().size();
            waitFor("60 more frames").until(() -> controller.video().size() >= from + 60
                    && watcher.video().size() >= watcherFrom + 60);
            long controllerGap = medianGapMillis(controller.video().subList(from + 10, from + 60));
            long watcherGap = medianGapMillis(watcher.video().subList(watcherFrom + 10, watcherFrom + 60));
            // At 30 fps a frame every 33 ms; held for 300 ms, nine frames arrive in one write.
            assertTrue(controllerGap >= 15, "the controller's frames come one by one: median gap " + controllerGap);
            assertTrue(watcherGap <= 5, "the watcher's come together: median gap " + watcherGap);
        }
    }

    @Test
    void aWatcherThatStopsReadingNeverDelaysTheController() throws Exception {
        broadcast.setControlPolicy(ControlPolicy.FIRST_ASKS);
        try (RtmpTestClient controller = watch(); RtmpTestClient stalled = watch()) {
            assertEquals("controller", ((Map<?, ?>) call(controller, "requestControl").argument(0)).get("role"));
            stalled.pauseReading();
            // The stalled watcher's frames back up until the broadcast finds it behind and skips it.
            waitFor("the stalled watcher is skipped").atMost(java.time.Duration.ofSeconds(30))
                    .until(() -> broadcast.statistics().skipsToKeyFrame() > 0);
            int from = controller.video().size();
            long started = System.nanoTime();
            waitFor("60 more frames").until(() -> controller.video().size() >= from + 60);
            double seconds = (System.nanoTime() - started) / 1e9;
            List<RtmpTestClient.VideoFrame> frames = controller.video().subList(from, from + 60);
            long gap = medianGapMillis(frames);
            // 30 fps: 60 frames in 2 s; a controller held up behind the stalled one would get them late or together.
            assertTrue(seconds < 4, "60 frames took the controller " + seconds + " s");
            assertTrue(gap >= 15 && gap <= 60, "the controller's frames come one by one: median gap " + gap);
            assertEquals("_result", call(controller, "steer").name(), "the controller still steers");
            assertEquals(1, steered.get());
            stalled.resumeReading();
        }
    }

    private static long medianGapMillis(List<RtmpTestClient.VideoFrame> frames) {
        List<Long> gaps = new java.util.ArrayList<>();
        for (int i = 1; i < frames.size(); i++) {
            gaps.add((frames.get(i).receivedNanos() - frames.get(i - 1).receivedNanos()) / 1_000_000);
        }
        gaps.sort(null);
        return gaps.get(gaps.size() / 2);
    }

    private static List<String> names(Broadcast broadcast) {
        return broadcast.controllers().stream().map(c -> "viewer " + c.id()).toList();
    }
}
