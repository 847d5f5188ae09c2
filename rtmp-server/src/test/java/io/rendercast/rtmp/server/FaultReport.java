package io.rendercast.rtmp.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * What a fault cost, for the test log: the healthy player's frame rate during it, this process's resident memory
 * and OS threads before, during and after it, and the lines it had logged, by level and logger. The server and
 * its test clients share the process, so the figures bound the server's from above.
 */
final class FaultReport extends Handler implements AutoCloseable {

    private final String name;
    private final String before;
    private final Map<String, Integer> logged = new TreeMap<>();
    private String during = "not taken";
    private double fps = Double.NaN;

    private FaultReport(String name) {
        this.name = name;
        this.before = snapshot();
        Logger.getLogger("").addHandler(this);
    }

    /** Takes the "before" figures and starts counting log lines. */
    static FaultReport start(String name) {
        return new FaultReport(name);
    }

    /** Takes the "during" figures, with the healthy player's frame rate meanwhile. */
    void during(double healthyFps) {
        this.fps = healthyFps;
        this.during = snapshot();
    }

    @Override
    public synchronized void publish(LogRecord record) {
        if (record.getLevel().intValue() >= Level.INFO.intValue()) {
            String logger = String.valueOf(record.getLoggerName());
            logged.merge(record.getLevel() + " " + logger.substring(logger.lastIndexOf('.') + 1), 1, Integer::sum);
        }
    }

    /** Takes the "after" figures (after a collection) and prints the report. */
    @Override
    public void close() {
        Logger.getLogger("").removeHandler(this);
        System.gc();
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (this) {
            System.out.printf("FaultReport %s: healthy player %.1f fps; before: %s; during: %s; after: %s; logged: %s%n",
                    name, fps, before, during, snapshot(), logged);
        }
    }

    @Override
    public void flush() {
    }

    /**
     * The healthy player's rate beside a fault, as a fraction of its rate alone, measured just before in the same
     * run: a figure of the code, where frames per second alone would be a figure of the machine as much. On a
     * loaded 2-core machine both rates fall together; the fraction holds.
     */
    static void assertKeptRate(double alone, double beside, double fraction, String what) {
        System.out.printf("FaultReport: %s: %.1f fps beside it, %.1f alone (%.2f)%n", what, beside, alone,
                beside / alone);
        org.junit.jupiter.api.Assertions.assertTrue(alone >= 10, "the player alone got " + alone + " fps");
        org.junit.jupiter.api.Assertions.assertTrue(beside >= fraction * alone, "the healthy player kept "
                + fraction + " of its rate alone " + what + ": " + beside + " fps beside it, " + alone + " alone");
    }

    /** OS threads of this process, the JVM's own included. */
    static long osThreads() {
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            return tasks.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String snapshot() {
        try {
            long rssKib = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("VmRSS:"))
                    .mapToLong(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
            return "RSS " + (rssKib >> 10) + " MiB, " + osThreads() + " threads";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
