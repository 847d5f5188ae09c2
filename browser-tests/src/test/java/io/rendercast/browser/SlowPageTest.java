package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.rtmp.ConnectionStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A page that shows frames slower than the stream comes: its main thread is kept busy for 60 ms a frame (as a
 * slow device's decoder, or a page doing its own work, would keep it), so it can show about 16 of the 30 frames a
 * second that arrive over loopback, where TCP sees no queue at all. Before the page told the server which frames it
 * had drawn, the frames waited in the browser and its delay grew by half a second every second, without bound. Now
 * the frames it has not drawn count as a queue on the way: the server skips ticks, and the delay stays bounded.
 */
class SlowPageTest {

    private static final int BUSY_MILLIS = 60;

    @Test
    void aPageThatShowsFramesSlowerThanTheyComeGetsFewerFramesNotLaterOnes() throws Exception {
        try (ViewerServer server = new ViewerServer(640, 360, 30);
             Chromium chromium = Chromium.open()) {
            chromium.playThrough(server.page("live/slow-page", ""));
            chromium.script("rendercast.watchFrames(() => { const until = performance.now() + arguments[0]; "
                    + "while (performance.now() < until) { } }); return null", BUSY_MILLIS);
            TimeUnit.SECONDS.sleep(5); // the server finds the queue, and the page sheds what piled up before
            long from = chromium.framesDecoded();
            long started = System.nanoTime();
            List<Double> delays = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                TimeUnit.MILLISECONDS.sleep(500);
                if (chromium.script("return rendercast.stats.latencyMs") instanceof Number delay) {
                    delays.add(delay.doubleValue());
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double fps = (chromium.framesDecoded() - from) / seconds;
            List<Double> sorted = new ArrayList<>(delays);
            sorted.sort(null);
            double median = sorted.isEmpty() ? Double.NaN : sorted.get(sorted.size() / 2);
            double last = delays.isEmpty() ? Double.NaN : delays.getLast();
            ConnectionStatistics page = server.connections.getFirst().statistics();
            String figures = String.format(Locale.ROOT, "%.1f fps shown, glass to glass median %.0f ms, last %.0f ms, "
                    + "%d frames sent, %d skipped; queue %d ms", fps, median, last, page.framesSent(),
                    page.framesDropped(), page.link().queueDelay().toMillis());
            System.out.println("SlowPageTest: " + figures);
            // Unbounded, the delay would be 8 s and more by now; bounded, about the server's 0.5 s and a frame.
            assertTrue(median < 1500 && last < 2000, "the delay stays bounded: " + figures);
            assertTrue(fps >= 8, "the page shows what it can: " + figures);
            assertTrue(page.framesDropped() > 0, "the server skipped ticks for it: " + figures);
        }
    }
}
