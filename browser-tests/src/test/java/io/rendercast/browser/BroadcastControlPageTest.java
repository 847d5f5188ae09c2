package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.demo.DemoApplication;
import io.rendercast.demo.DemoOptions;
import io.rendercast.demo.ExternalTool;
import io.rendercast.rtmp.RtmpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The demo's broadcast with controllers, as {@code --control-token} sets it up: pages in Chromium steer and watch
 * one render, and ffmpeg, an RTMP watcher, decodes what the controller's drag did.
 */
class BroadcastControlPageTest {

    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    private static final String GREEN = "#00ff00";

    private RtmpServer server;
    private int rtmpPort;
    private int httpPort;

    @BeforeEach
    void start() throws Exception {
        DemoOptions options = DemoOptions.parse("--control-token=steer").on("127.0.0.1", 0, WIDTH, HEIGHT)
                .withRate(30, 1_500_000);
        DemoApplication application = new DemoApplication(options);
        server = RtmpServer.create();
        server.addConnectHandler(application);
        server.start(new InetSocketAddress("127.0.0.1", 0));
        server.startHttp(new InetSocketAddress("127.0.0.1", 0));
        application.startBroadcast(server);
        rtmpPort = server.listenAddress().getPort();
        httpPort = server.httpAddress().getPort();
    }

    @AfterEach
    void stopWatcher() {
        if (watcher != null) {
            watcher.destroy();
        }
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Chromium open(String query) {
        Chromium chromium = Chromium.open();
        chromium.driver.get("http://127.0.0.1:" + httpPort + "/?stream=live/broadcast" + query);
        chromium.waitUntil(() -> chromium.framesDecoded() > 20, Duration.ofSeconds(30), "the broadcast plays");
        chromium.waitUntil(() -> chromium.script("return rendercast.stats.role") != null, Duration.ofSeconds(10),
                "the page is told its role");
        return chromium;
    }

    private static String role(Chromium chromium) {
        return String.valueOf(chromium.script("return rendercast.stats.role"));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Number> green(Chromium chromium) {
        return (Map<String, Number>) chromium.script("return rendercast.findColour(arguments[0])", GREEN);
    }

    /**
     * Where the green disc went round on the page: its leftmost and rightmost x over a whole orbit (0.05 rad a
     * frame, 4.2 s at 30 fps), so that two orbits compare whatever part of the round each began at.
     */
    private static int[] orbit(Chromium chromium) throws InterruptedException {
        int min = Integer.MAX_VALUE;
        int max = -1;
        for (int i = 0; i < 48; i++) {
            Map<String, Number> found = green(chromium);
            if (found.get("count").intValue() > 0) {
                min = Math.min(min, found.get("minX").intValue());
                max = Math.max(max, found.get("maxX").intValue());
            }
            Thread.sleep(100);
        }
        assertTrue(max >= 0, "the page shows the green discs");
        return new int[] {min, max};
    }

    private static void drag(Chromium chromium, int dx) {
        WebElement canvas = chromium.driver.findElement(By.id("screen"));
        Actions drag = new Actions(chromium.driver).moveToElement(canvas, dx > 0 ? -200 : 200, 0).clickAndHold();
        for (int i = 0; i < 5; i++) {
            drag.moveByOffset(dx / 5, 0).pause(Duration.ofMillis(30));
        }
        drag.release().perform();
    }

    private static void click(Chromium chromium, String id) {
        chromium.driver.findElement(By.id(id)).click();
    }

    @Test
    void theControllerSteersWhatEveryoneSeesAndHandsControlOver() throws Exception {
        startWatcher();
        try (Chromium ada = open("&token=steer&name=Ada")) {
            assertEquals("watcher", role(ada));
            click(ada, "ask-control");
            ada.waitUntil(() -> "controller".equals(role(ada)), Duration.ofSeconds(10), "Ada controls");
            String shown = ada.driver.findElement(By.id("control")).getText();
            assertTrue(shown.contains("you steer") && shown.contains("Ada steers"), shown);

            ada.script("return rendercast.recolour(arguments[0])", GREEN);
            ada.waitUntil(() -> green(ada).get("count").intValue() > 50, Duration.ofSeconds(10), "the discs turn green");
            int rightmostBefore = ffmpegGreenSpan(span -> span[1] >= 0, "green discs")[1];
            int pageRightmost = green(ada).get("maxX").intValue();
            drag(ada, 250);
            ada.waitUntil(() -> green(ada).get("count").intValue() > 50
                            && green(ada).get("minX").intValue() > pageRightmost, Duration.ofSeconds(10),
                    "the drag moves the discs right on Ada's page, past " + pageRightmost);
            // What an RTMP watcher decodes moved too: the render is one for all.
            int[] after = ffmpegGreenSpan(span -> span[1] >= 0 && span[0] > rightmostBefore,
                    "the discs lie right of x " + rightmostBefore + " after the drag");
            assertTrue(after[0] > rightmostBefore, "ffmpeg's pictures: the discs lie right of x " + rightmostBefore
                    + " after the drag, from x " + after[0]);

            try (Chromium bob = open("&token=steer&name=Bob")) {
                assertEquals("watcher", role(bob));
                // A watcher's drag is refused with the reason, and changes nothing.
                int[] orbit = orbit(bob);
                int leftmost = orbit[0];
                drag(bob, -250);
                bob.waitUntil(() -> !bob.driver.findElement(By.id("call-error")).getText().isEmpty(),
                        Duration.ofSeconds(10), "Bob's drag is refused");
                String refusal = bob.driver.findElement(By.id("call-error")).getText();
                assertTrue(refusal.contains("Ada controls it") && refusal.contains("requestControl"), refusal);
                int[] unmoved = orbit(bob);
                assertTrue(unmoved[0] >= leftmost - 8 && unmoved[1] <= orbit[1] + 8, "the refused drag moved "
                        + "nothing: the discs went round within x " + orbit[0] + " to " + orbit[1] + " before it, "
                        + unmoved[0] + " to " + unmoved[1] + " after");

                click(bob, "ask-control");
                bob.waitUntil(() -> "queued".equals(role(bob)), Duration.ofSeconds(10), "Bob waits in line");
                click(ada, "ask-control"); // "Release control"
                bob.waitUntil(() -> "controller".equals(role(bob)), Duration.ofSeconds(10), "Bob controls");
                ada.waitUntil(() -> "watcher".equals(role(ada)), Duration.ofSeconds(10), "Ada watches");
                drag(bob, -250);
                bob.waitUntil(() -> green(bob).get("count").intValue() > 50
                                && green(bob).get("maxX").intValue() < leftmost, Duration.ofSeconds(10),
                        "Bob's drag moves the discs left, past " + leftmost);
            }
            // Bob left: control is free.
            ada.waitUntil(() -> ((List<?>) ada.script("return rendercast.stats.controllers")).isEmpty(),
                    Duration.ofSeconds(15), "no one controls once Bob has gone");
        }
    }

    @Test
    void aWrongControlTokenWatchesOnly() {
        try (Chromium eve = open("&token=guess&name=Eve")) {
            click(eve, "ask-control");
            eve.waitUntil(() -> eve.driver.findElement(By.id("call-error")).getText()
                    .contains("control of 'live/broadcast' is not to be had"), Duration.ofSeconds(10),
                    "Eve's request is refused");
            assertEquals("watcher", role(eve));
        }
    }

    /**
     * The buttons stay where they are while the page's statistics and control line change beside them: a button
     * that moves between the pointer's aim and its press takes the click elsewhere (the statistics' first line
     * used to push "Ask for control" 200 px left about a second in, just as a user, or a test, pressed it).
     */
    @Test
    void theButtonsStayPutWhileThePagePlays() {
        try (Chromium eve = Chromium.open()) {
            eve.driver.get("http://127.0.0.1:" + httpPort + "/?stream=live/broadcast&name=Eve");
            // Frame by frame from the page's first moments: every left edge each button showed at, until 3 s
            // (three turns of the statistics) after "Ask for control" first showed.
            eve.script("""
                    const lefts = window.buttonLefts = { 'ask-control': [], recolour: [], done: false };
                    let shownAt = null;
                    const sample = () => {
                      for (const id of ['ask-control', 'recolour']) {
                        const button = document.getElementById(id);
                        const left = Math.round(button.getBoundingClientRect().left);
                        if (!button.hidden && !lefts[id].includes(left)) lefts[id].push(left);
                      }
                      if (shownAt === null && lefts['ask-control'].length > 0) shownAt = performance.now();
                      if (shownAt !== null && performance.now() - shownAt > 3000) lefts.done = true;
                      else requestAnimationFrame(sample);
                    };
                    requestAnimationFrame(sample);
                    """);
            eve.waitUntil(() -> Boolean.TRUE.equals(eve.script("return window.buttonLefts.done")),
                    Duration.ofSeconds(30), "\"Ask for control\" has shown for 3 s");
            assertTrue(eve.framesDecoded() > 20, "the broadcast plays");
            for (String button : List.of("ask-control", "recolour")) {
                String lefts = String.valueOf(eve.script("return JSON.stringify(window.buttonLefts[arguments[0]])",
                        button));
                assertTrue(lefts.matches("\\[-?\\d+]"), "'" + button + "' moved as the page played: its left "
                        + "edge was at x " + lefts);
            }
        }
    }

    /**
     * ffmpeg watching the broadcast over RTMP for the whole test, decoding every picture to RGB; the newest is
     * kept. A watcher that joins late starts with the pictures since the last key frame, so one that stays is
     * what shows what the scene looks like now.
     */
    private final AtomicReference<byte[]> newest =
            new AtomicReference<>();
    private Process watcher;

    private void startWatcher() throws IOException {
        ExternalTool.FFMPEG.require();
        watcher = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-v", "error", "-i",
                "rtmp://127.0.0.1:" + rtmpPort + "/live/broadcast", "-fps_mode", "passthrough", "-f", "rawvideo",
                "-pix_fmt", "rgb24", "-")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Thread.ofPlatform().daemon().name("ffmpeg-pictures").start(() -> {
            try (var in = watcher.getInputStream()) {
                while (true) {
                    byte[] picture = in.readNBytes(WIDTH * HEIGHT * 3);
                    if (picture.length < WIDTH * HEIGHT * 3) {
                        return;
                    }
                    newest.set(picture);
                }
            } catch (IOException e) {
                // ended
            }
        });
    }

    /** The leftmost and rightmost x of pure green in ffmpeg's newest picture; {MAX_VALUE, -1} where none. */
    private int[] greenInNewest() {
        byte[] rgb = newest.get();
        int min = Integer.MAX_VALUE;
        int max = -1;
        for (int y = 0; rgb != null && y < HEIGHT; y++) {
            for (int x = 0; x < WIDTH; x++) {
                int at = (y * WIDTH + x) * 3;
                if ((rgb[at] & 0xff) < 60 && (rgb[at + 1] & 0xff) > 200 && (rgb[at + 2] & 0xff) < 60) {
                    min = Math.min(min, x);
                    max = Math.max(max, x);
                }
            }
        }
        return new int[] {min, max};
    }

    /**
     * Waits until ffmpeg's pictures satisfy {@code wanted} (they come a little after the page's: ffmpeg buffers),
     * then returns where the green discs went round in them over the next second.
     */
    private int[] ffmpegGreenSpan(Predicate<int[]> wanted, String what) throws InterruptedException {
        Awaitility.await("ffmpeg's pictures: " + what).atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(100)).until(() -> wanted.test(greenInNewest()));
        int[] span = greenInNewest();
        for (int i = 0; i < 10; i++) {
            int[] now = greenInNewest();
            span[0] = Math.min(span[0], now[0]);
            span[1] = Math.max(span[1], now[1]);
            Thread.sleep(100);
        }
        return span;
    }
}
