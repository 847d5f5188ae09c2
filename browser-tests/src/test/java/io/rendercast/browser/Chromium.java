package io.rendercast.browser;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's Chromium, headless, driven through Debian's chromedriver: no browser or driver is downloaded. Under
 * {@code CI=true} a missing browser fails the test; elsewhere the test is skipped and says what to install.
 * Each browser gets a temporary folder of its own as {@code TMPDIR}, deleted on {@link #close}: Chromium leaves
 * the folder of its profile lock's socket behind in {@code /tmp} (an {@code org.chromium.Chromium.*} per browser,
 * hundreds after a day of test runs).
 */
final class Chromium implements AutoCloseable {

    private static final File BROWSER = new File("/usr/bin/chromium");
    private static final File DRIVER = new File("/usr/bin/chromedriver");

    final ChromeDriver driver;
    private final Path temporary;

    private Chromium(ChromeDriver driver, Path temporary) {
        this.driver = driver;
        this.temporary = temporary;
    }

    static Chromium open() {
        return open(new String[0]);
    }

    /** With more command-line switches. */
    static Chromium open(String... switches) {
        requireInstalled();
        return start(new ChromeDriverService.Builder().usingDriverExecutable(DRIVER).usingAnyFreePort(), switches);
    }

    /**
     * Inside {@code namespace}, with loopback candidates allowed in peer connections: the driver and the browser it
     * starts run there, and this JVM reaches the driver through a port carried into it.
     */
    static Chromium openIn(LoopbackNamespace namespace) throws IOException {
        requireInstalled();
        int port = namespace.forwardInto(0);
        return start(new ChromeDriverService.Builder().usingDriverExecutable(namespace.wrap(DRIVER)).usingPort(port),
                "--allow-loopback-in-peer-connection", "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream");
    }

    /**
     * Opens {@code page} having first let its origin capture (a fake camera, the prompt answered yes, at once let
     * go). Without that Chromium offers a peer connection only the address of the interface its default route
     * leaves by, or an mDNS name in place of it; a namespace with only its loopback device has no route, and a
     * loopback device cannot announce a name, so the connection would have no host candidate.
     */
    void openMayCapture(String page) {
        driver.get(page.replaceFirst("^(\\w+://[^/]+).*", "$1/health"));
        Object captured = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                navigator.mediaDevices.getUserMedia({ video: true })
                    .then(stream => { stream.getTracks().forEach(t => t.stop()); done('captured'); },
                          e => done(String(e)));
                """);
        if (!"captured".equals(captured)) {
            fail("the page's origin may not capture: " + captured);
        }
        driver.get(page);
    }

    private static void requireInstalled() {
        if (!BROWSER.canExecute() || !DRIVER.canExecute()) {
            String why = "needs Debian's chromium and chromium-driver (./rendercast test installs them)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            assumeTrue(false, why);
        }
    }

    private static Chromium start(ChromeDriverService.Builder service, String... switches) {
        Path temporary;
        try {
            temporary = Files.createTempDirectory("rendercast-chromium-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,900", "--autoplay-policy=no-user-gesture-required", "--mute-audio",
                // The HTTPS test's certificate is self-signed, made for the test.
                "--ignore-certificate-errors");
        options.addArguments(switches);
        try {
            service.withEnvironment(Map.of("TMPDIR", temporary.toString()));
            return new Chromium(new ChromeDriver(service.build(), options), temporary);
        } catch (RuntimeException e) {
            delete(temporary);
            throw e;
        }
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Waits until {@code condition} holds, checking at once and then every 100 ms on this thread (WebDriver's
     * calls are made from one thread); fails with {@code what} and the page's state.
     */
    void waitUntil(Callable<Boolean> condition, Duration timeout, String what) {
        try {
            Awaitility.await(what)
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100))
                    .pollInSameThread()
                    .until(condition);
        } catch (ConditionTimeoutException e) {
            fail("not within " + timeout + ": " + what + "; page stats " + script("return JSON.stringify(window.rendercast && rendercast.stats)")
                    + ", status '" + script("const s = document.getElementById('status'); return s && s.textContent") + "'", e);
        }
    }

    /**
     * Opens {@code page}, served through an emulated link, and returns once it has decoded 30 frames and played
     * for ten seconds more: the time the server takes to find the link.
     */
    void playThrough(String page) throws InterruptedException {
        driver.get(page);
        waitUntil(() -> framesDecoded() >= 30, Duration.ofSeconds(30), "the page decodes its first 30 frames through "
                + "the link");
        TimeUnit.SECONDS.sleep(10);
    }

    long framesDecoded() {
        Object frames = script("return window.rendercast ? rendercast.stats.framesDecoded : 0");
        return frames instanceof Number n ? n.longValue() : 0;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            delete(temporary);
        }
    }

    private static void delete(Path folder) {
        try (var paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // what is left is in the system's temporary folder, which the system empties
        }
    }
}
