package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.rendercast.linkemulator.LinkConditions;
import io.rendercast.linkemulator.LinkEmulator;
import io.rendercast.rtmp.ConnectionStatistics;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The viewer page behind a link slower than its stream: headless Chromium plays the demo's own stream (2.5 Mbit/s)
 * over WebSocket and WebCodecs, page and socket both through an emulated 1.5 Mbit/s link with an 80 ms round trip
 * and a router's 64 KB queue. The relay's TCP acknowledges for the page, and its queue is not in that TCP's round
 * trips: the server reads the path from the page's own word on what it received ({@code PageAcknowledgements});
 * its encoder comes down under the link and stays near it, and the page keeps the frame rate at a bounded delay.
 * With the bit rate fixed (the stream as it was before rate adaptation) the same page got 17.7 frames a second at a
 * median of 1.1 s, 283 frames skipped in 23 s. Adapting on what the relay's TCP and socket said, 28 to 29 frames a
 * second at a median of 0.1 to 0.35 s and peaks of 0.26 to 0.68 s, the encoder set up to 1.88 Mbit/s as probes
 * filled the relay's queue unseen; on the page's word, 30 frames a second at a median of 0.1 s, peaks of 0.11 to
 * 0.16 s, the encoder at 1.35 to 1.48 Mbit/s but for one probe to 1.55 (in 7 runs; the highest recorded in 4).
 *
 * <p>At 640x360, as the latency test runs: at 1280x720 Chromium's software decoder falls behind on a loaded 2-core
 * machine that also runs the server's encoder and the link, and its delay is the decoder's as much as the link's.
 * Bounds are loose; the figures are printed for the record.
 */
class SlowLinkPageTest {

    private static final double LINK_MEGABITS = 1.5;

    @Test
    void thePageKeepsTheFrameRateAtABoundedDelayBehindASlowLink() throws Exception {
        try (ViewerServer server = new ViewerServer(640, 360, 30);
             LinkEmulator link = LinkEmulator.start(server.httpAddress(), LinkConditions.of(LINK_MEGABITS, 80));
             Chromium chromium = Chromium.open()) {
            chromium.playThrough(server.page(link.address().getPort(), "live/slow-link", ""));
            // Ten seconds measured: frames shown, and each one's delay from the render tick it carries to the
            // screen, on the server's clock, sampled four times a second.
            long from = chromium.framesDecoded();
            long linkBytes = link.bytesToClients();
            long started = System.nanoTime();
            List<Double> delays = new ArrayList<>();
            long lowest = Long.MAX_VALUE;
            long highest = 0;
            for (int i = 0; i < 40; i++) {
                TimeUnit.MILLISECONDS.sleep(250);
                if (chromium.script("return rendercast.stats.latencyMs") instanceof Number delay) {
                    delays.add(delay.doubleValue());
                }
                long bitrate = server.connections.getFirst().statistics().videoBitrate();
                lowest = Math.min(lowest, bitrate);
                highest = Math.max(highest, bitrate);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            double fps = (chromium.framesDecoded() - from) / seconds;
            double linkMegabits = (link.bytesToClients() - linkBytes) * 8 / seconds / 1e6;
            delays.sort(null);
            double median = delays.isEmpty() ? Double.NaN : delays.get(delays.size() / 2);
            double peak = delays.isEmpty() ? Double.NaN : delays.getLast();
            ConnectionStatistics page = server.connections.getFirst().statistics();
            String figures = String.format(Locale.ROOT, "%.1f fps, glass to glass median %.0f ms, peak %.0f ms; link "
                    + "carried %.2f Mbit/s; estimate %d bit/s, encoder at %d bit/s (lowest %d, highest %d); %d frames "
                    + "sent, %d skipped", fps, median, peak, linkMegabits, page.link().deliveryRate(),
                    page.videoBitrate(), lowest, highest, page.framesSent(), page.framesDropped());
            System.out.println("SlowLinkPageTest: WebSocket page at " + LINK_MEGABITS + " Mbit/s, 80 ms: " + figures);
            assertTrue(lowest > 0 && lowest < LINK_MEGABITS * 1e6, "the encoder was set to " + lowest
                    + " bit/s at the lowest behind a " + LINK_MEGABITS + " Mbit/s link: " + figures);
            // Probes above the link go 8 % at first: past 10 %, one was kept that the path did not carry.
            assertTrue(highest <= LINK_MEGABITS * 1.1e6, "the encoder was set to " + highest
                    + " bit/s at the highest behind a " + LINK_MEGABITS + " Mbit/s link: " + figures);
            assertTrue(fps >= 22, "frames a second: " + figures);
            assertTrue(median <= 800, "glass to glass: " + figures);
        }
    }
}
