package io.rendercast.demo;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real client program the interop tests run: ffmpeg, ffprobe, rtmpdump, gst-launch-1.0.
 *
 * <p>{@code ./rendercast test} installs them. When one is missing, the test fails under {@code CI=true} and is
 * skipped, saying which tool and how to install it, elsewhere. Public for the browser tests, which take it from
 * this module's test jar.
 */
public record ExternalTool(String command, String debianPackage, Map<String, String> environment) {

    ExternalTool(String command, String debianPackage) {
        this(command, debianPackage, Map.of());
    }

    public static final ExternalTool FFMPEG = new ExternalTool("ffmpeg", "ffmpeg");
    public static final ExternalTool FFPROBE = new ExternalTool("ffprobe", "ffmpeg");
    public static final ExternalTool RTMPDUMP = new ExternalTool("rtmpdump", "rtmpdump");
    public static final ExternalTool NGINX = new ExternalTool("/usr/sbin/nginx", "nginx-light libnginx-mod-rtmp");
    public static final ExternalTool GST_LAUNCH = new ExternalTool("gst-launch-1.0",
            "gstreamer1.0-tools gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-libav");

    /** What a finished run left behind. */
    public record Result(int exitCode, byte[] stdout, String stderr) {

        String stdoutText() {
            return new String(stdout, StandardCharsets.UTF_8);
        }

        public String describe() {
            return "exit " + exitCode + ", stderr:\n" + stderr + (stdout.length < 4096 ? "\nstdout:\n" + stdoutText() : "");
        }
    }

    /** Makes sure the tool is on the PATH (or, named by its path, there): fails under CI, skips elsewhere. */
    public void require() {
        boolean found = command.startsWith("/") && new File(command).canExecute();
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                found = true;
                break;
            }
        }
        String message = command + " is not installed; ./rendercast test installs it (apt-get install "
                + debianPackage + ")";
        if ("true".equals(System.getenv("CI"))) {
            if (!found) {
                fail(message);
            }
        } else {
            assumeTrue(found, message);
        }
    }

    /** Runs the tool to its end, or kills it at the timeout and fails. */
    public Result run(Duration timeout, String... args) {
        return run(timeout, null, args);
    }

    /**
     * Runs the tool; when {@code stopAfter} is set, it is sent SIGTERM after that long (for clients that play a
     * live stream until told to stop) and its exit status is whatever it chose.
     */
    Result run(Duration timeout, Duration stopAfter, String... args) {
        ProcessBuilder builder = builder(args);
        try {
            Process process = builder.start();
            ByteArrayOutputStream stdout = new ByteArrayOutputStream();
            ByteArrayOutputStream stderr = new ByteArrayOutputStream();
            Thread out = drain(process.getInputStream(), stdout);
            Thread err = drain(process.getErrorStream(), stderr);
            if (stopAfter != null && !process.waitFor(stopAfter.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                out.join(1000);
                err.join(1000);
                fail(command + " did not finish within " + timeout + "; stderr:\n" + stderr);
            }
            out.join();
            err.join();
            return new Result(process.exitValue(), stdout.toByteArray(), stderr.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + builder.command(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command);
        }
    }

    /**
     * Starts the tool and hands each line it writes to stderr, as it comes, to {@code lines} with the time it came
     * ({@link System#nanoTime()}), on a thread of its own; the caller stops it with {@link Process#destroy()}.
     */
    Process stream(LineListener lines, String... args) {
        ProcessBuilder builder = builder(args).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process process = builder.start();
            Thread.ofPlatform().daemon().name(command + "-stderr").start(() -> {
                try (var reader = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = reader.readLine()) != null) {
                        lines.line(System.nanoTime(), line);
                    }
                } catch (IOException e) {
                    // the process ended
                }
            });
            return process;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + builder.command(), e);
        }
    }

    /** The tool with {@code args}, once it is known to be there: no input, its environment set. */
    private ProcessBuilder builder(String... args) {
        require();
        List<String> commandLine = new ArrayList<>();
        commandLine.add(command);
        commandLine.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        return builder;
    }

    /** A line a tool wrote, and when it came. */
    @FunctionalInterface
    interface LineListener {
        void line(long nanos, String line);
    }

    private static Thread drain(InputStream in, ByteArrayOutputStream into) {
        Thread thread = new Thread(() -> {
            try (in) {
                in.transferTo(into);
            } catch (IOException e) {
                // the process ended
            }
        });
        thread.setDaemon(true);
        thread.start();
        return thread;
    }
}
