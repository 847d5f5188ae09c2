package io.rendercast.linkemulator.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** iproute2's {@code ip}, run to its end: what sets up network namespaces and devices here. */
public final class IpCommand {

    private IpCommand() {
    }

    /**
     * Runs {@code ip} with {@code args}; what it printed.
     *
     * @throws IOException where {@code ip} cannot be run, fails, or takes over 10 s, saying which and what it printed
     */
    public static String run(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        String named = String.join(" ", command);
        // Its output goes to a file, not a pipe read to its end: a hung ip would hold that read past any timeout.
        Path output = Files.createTempFile("rendercast-ip-", ".out");
        try {
            Process p;
            try {
                p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            } catch (IOException e) {
                throw new IOException("iproute2's ip is needed: " + e.getMessage(), e);
            }
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(named + " took over 10 s: " + Files.readString(output).strip());
            }
            String out = Files.readString(output).strip();
            if (p.exitValue() != 0) {
                throw new IOException(named + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + named, e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** As {@link #run}, for cleaning up: what may be gone already is no error. */
    public static void quietly(String... args) {
        try {
            run(args);
        } catch (IOException e) {
            // a namespace or device that was never made, or is gone
        }
    }
}
