package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/** The viewer page in headless Chromium: it plays, it steers, it says why it was refused. */
class ViewerPageTest {

    private final ViewerServer server = new ViewerServer(640, 360, 30);
    private Chromium chromium;

    @AfterEach
    void close() {
        if (chromium != null) {
            chromium.close();
        }
        server.close();
    }

    @Test
    void thePagePlaysTheStreamAndTheCanvasShowsTheRenderedFrame() throws Exception {
        chromium = Chromium.open();
        chromium.driver.get(server.page("live/demo", ""));
        chromium.waitUntil(() -> chromium.framesDecoded() > 45, Duration.ofSeconds(30), "frames decoded and drawn");
        assertEquals("webcodecs", chromium.script("return rendercast.stats.path"));
        // The page times drawImage against copyTo and putImageData on its first frames and keeps the quicker.
        // Chromium without a GPU converts a frame for drawImage pixel by pixel, 14 to 22 ms at 720p, and copy wins by
        // far there; at this test's 640x360 the gap is much smaller, and a CI run chose drawImage. Which way won is
        // a matter of timing: what is checked is that the page chose one, and the pixels it put, below.
        Object way = chromium.script("return rendercast.stats.paint");
        assertTrue("copy".equals(way) || "draw".equals(way), "how the page puts frames on its canvas: " + way);
        long before = chromium.framesDecoded();
        Thread.sleep(1000);
        assertTrue(chromium.framesDecoded() > before + 10, "the count keeps growing");
        assertCanvasShowsARenderedFrame(server, "h264");

        Path shot = Path.of("target", "viewer-page.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, chromium.driver.getScreenshotAs(OutputType.BYTES));
    }

    @Test
    void thePageDecodesAv1WithWebCodecsWhenTheServerSendsIt() throws Exception {
        try (ViewerServer av1 = new ViewerServer(640, 360, 30, 0, "av1")) {
            chromium = Chromium.open();
            chromium.driver.get(av1.page("live/av1", ""));
            chromium.waitUntil(() -> chromium.framesDecoded() > 45, Duration.ofSeconds(30), "AV1 frames decoded");
            String codec = (String) chromium.script("return rendercast.stats.codec");
            assertTrue(codec.startsWith("av01."), "the page negotiated AV1 and configured " + codec);
            assertCanvasShowsARenderedFrame(av1, codec);
        }
    }

    /** The canvas shows the frame its frame-number strip names, within 30 dB of what the server rendered. */
    private void assertCanvasShowsARenderedFrame(ViewerServer server, String codec) {
        RenderedFrames.assertRendered(Base64.getDecoder().decode((String) chromium.script(
                "return rendercast.canvasPixels()")), server, "ViewerPageTest: " + codec + " canvas");
    }

    @Test
    void aKeyRecoloursAndADragMovesThePicture() throws Exception {
        chromium = Chromium.open();
        chromium.driver.get(server.page("live/steer", ""));
        chromium.waitUntil(() -> chromium.framesDecoded() > 20, Duration.ofSeconds(30), "the stream plays");
        WebElement canvas = chromium.driver.findElement(By.id("screen"));
        assertTrue(colour("#ff8c1a").get("count").intValue() > 50, "the discs start orange");

        // Key C asks for a random colour: one within the count's reach of orange (0.8 % of them) leaves the discs
        // looking orange, the likeliest reason the test failed once beside two CPU hogs while the page played on at
        // 30 fps. The page's random is pinned to a colour far from it (#3fffff): the test asks whether the key
        // recolours, not what colour chance picks.
        chromium.script("Math.random = () => 0.25");
        canvas.click();
        new Actions(chromium.driver).sendKeys(canvas, "c").perform();
        chromium.waitUntil(() -> colour("#ff8c1a").get("count").intValue() < 5, Duration.ofSeconds(10),
                "key C recolours the discs");

        chromium.script("return rendercast.recolour('#00ff00')");
        chromium.waitUntil(() -> colour("#00ff00").get("count").intValue() > 50, Duration.ofSeconds(10),
                "the discs turn green");
        int rightmostBefore = colour("#00ff00").get("maxX").intValue();
        // The orbit's centre is the canvas's; after a drag of 250 px its discs lie wholly right of where any was.
        Actions drag = new Actions(chromium.driver).moveToElement(canvas, -200, 0).clickAndHold();
        for (int i = 0; i < 5; i++) {
            drag.moveByOffset(50, 0).pause(Duration.ofMillis(30));
        }
        drag.release().perform();
        chromium.waitUntil(() -> colour("#00ff00").get("minX").intValue() > rightmostBefore, Duration.ofSeconds(10),
                "the drag moves the discs right, past " + rightmostBefore);
    }

    @Test
    void thePageOffersTheInputsTheApplicationTakesAndShowsItsErrors() throws Exception {
        chromium = Chromium.open();
        chromium.driver.get(server.page("live/demo", ""));
        chromium.waitUntil(() -> chromium.framesDecoded() > 10, Duration.ofSeconds(30), "the stream plays");
        // The demo answers setColor and moveCamera, and its onMetaData says so: both inputs stay.
        assertEquals(Boolean.FALSE, chromium.script("return document.getElementById('recolour').hidden"));
        String footer = chromium.driver.findElement(By.tagName("footer")).getText();
        assertTrue(footer.contains("drag to move the camera") && footer.contains("recolour"), footer);
        chromium.script("rendercast.recolour('purple')");
        chromium.waitUntil(() -> String.valueOf(chromium.script(
                "return document.getElementById('call-error').textContent")).contains("setColor takes"),
                Duration.ofSeconds(10), "the application's _error is on the page");
    }

    @Test
    void aPageRefusedByADrainingServerTriesAgain() throws Exception {
        // Full or draining is the server's state, not the page's fault: behind a balancer, the next try lands on
        // another node. A wrong token, below, is final.
        server.server().drain(Duration.ofMinutes(5));
        chromium = Chromium.open();
        chromium.driver.get(server.page("live/demo", ""));
        chromium.waitUntil(() -> ((Number) chromium.script("return rendercast.stats.reconnects")).longValue() >= 1,
                Duration.ofSeconds(20), "the page tries again");
        chromium.waitUntil(() -> "reconnecting".equals(chromium.script("return rendercast.stats.state"))
                && chromium.driver.findElement(By.id("status")).getText().contains("the server is draining"),
                Duration.ofSeconds(20), "between tries, the page says why");
    }

    @Test
    void aRefusedViewerShowsTheServersReasonAndDoesNotRetry() throws Exception {
        chromium = Chromium.open();
        chromium.driver.get(server.page("private/x", ""));
        chromium.waitUntil(() -> "refused".equals(chromium.script("return rendercast.stats.state")),
                Duration.ofSeconds(20), "the page shows the refusal");
        String status = chromium.driver.findElement(By.id("status")).getText();
        assertTrue(status.contains("no connect handler accepted app 'private'"), status);
        Thread.sleep(1500);
        assertEquals(0L, ((Number) chromium.script("return rendercast.stats.reconnects")).longValue());
    }

    @Test
    void thePagePlaysOverHttpsAndWss() throws Exception {
        try (ViewerServer secure = new ViewerServer(640, 360, 30, 0, "h264", null, true)) {
            chromium = Chromium.open();
            chromium.driver.get(secure.page("live/secure", ""));
            chromium.waitUntil(() -> chromium.framesDecoded() > 30, Duration.ofSeconds(30), "frames over WSS");
            assertEquals("https:", chromium.script("return location.protocol"));
            assertEquals("webcodecs", chromium.script("return rendercast.stats.path"));
        }
    }

    @Test
    void aViewerWithAWrongTokenIsRefusedWithTheReason() throws Exception {
        try (ViewerServer guarded = new ViewerServer(640, 360, 30, 0, "h264", "s3cret")) {
            chromium = Chromium.open();
            chromium.driver.get(guarded.page("live/guarded", "&token=guess"));
            chromium.waitUntil(() -> "refused".equals(chromium.script("return rendercast.stats.state")),
                    Duration.ofSeconds(20), "the page shows the refusal");
            String status = chromium.driver.findElement(By.id("status")).getText();
            assertTrue(status.contains("wrong or missing token"), status);
            chromium.driver.get(guarded.page("live/guarded", "&token=s3cret"));
            chromium.waitUntil(() -> chromium.framesDecoded() > 10, Duration.ofSeconds(30), "the right token plays");
        }
    }

    @Test
    void thePageSaysWhenTheServerGoesAwayAndReconnectsWhenItIsBack() throws Exception {
        chromium = Chromium.open();
        chromium.driver.get(server.page("live/again", ""));
        chromium.waitUntil(() -> chromium.framesDecoded() > 10, Duration.ofSeconds(30), "the stream plays");
        int port = server.httpPort();
        server.close();
        chromium.waitUntil(() -> "reconnecting".equals(chromium.script("return rendercast.stats.state")),
                Duration.ofSeconds(10), "the page says the server went away");
        assertTrue(chromium.driver.findElement(By.id("status")).getText().contains("went away"));
        try (ViewerServer back = new ViewerServer(640, 360, 30, port)) {
            long before = chromium.framesDecoded();
            chromium.waitUntil(() -> chromium.framesDecoded() > before + 10, Duration.ofSeconds(30),
                    "the page reconnects and plays again");
            assertEquals("playing", chromium.script("return rendercast.stats.state"));
        }
    }

    @Test
    void aViewerThatStopsReadingDoesNotSlowAnRtmpPlayer() throws Exception {
        AtomicInteger received = new AtomicInteger();
        WebSocket stalled = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create(server.ws("live/stalled")), new WebSocket.Listener() {
                    @Override
                    public void onOpen(WebSocket webSocket) {
                        webSocket.request(5); // then never again: the socket stops being read
                    }

                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        received.incrementAndGet();
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            Thread.sleep(2000); // the stalled viewer's buffers fill
            int seconds = 6;
            Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-nostdin", "-i", server.rtmp("live/healthy"),
                    "-t", Integer.toString(seconds), "-f", "null", "-").redirectErrorStream(true).start();
            String log = new String(ffmpeg.getInputStream().readAllBytes());
            assertTrue(ffmpeg.waitFor(60, TimeUnit.SECONDS), "ffmpeg finished");
            Matcher frames = Pattern.compile("frame=\\s*(\\d+)").matcher(log);
            int last = 0;
            while (frames.find()) {
                last = Integer.parseInt(frames.group(1));
            }
            System.out.printf("ViewerPageTest: RTMP player beside a stalled viewer: %d frames in %d s%n", last, seconds);
            assertTrue(last >= 0.7 * 30 * seconds, "the RTMP player kept its rate: " + last + " frames in " + seconds
                    + " s\n" + log);
        } finally {
            stalled.abort();
        }
    }

    private Map<String, Number> colour(String hex) {
        @SuppressWarnings("unchecked")
        Map<String, Number> found = (Map<String, Number>) chromium.script("return rendercast.findColour(arguments[0])", hex);
        return found;
    }
}
