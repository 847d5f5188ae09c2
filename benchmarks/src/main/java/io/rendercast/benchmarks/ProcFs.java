package io.rendercast.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What Linux's /proc says of a process ({@code "self"} or a pid): resident memory, threads, CPU time. */
final class ProcFs {

    private ProcFs() {
    }

    /** Resident memory, VmRSS, in KiB; -1 when /proc does not say. */
    static long rssKib(String process) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", process, "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }

    /** OS threads, the JVM's own and native ones included. */
    static long threads(String process) throws IOException {
        try (var tasks = Files.list(Path.of("/proc", process, "task"))) {
            return tasks.count();
        }
    }

    /** User and system CPU time from a process's or a thread's {@code stat} file, in seconds. */
    static double cpuSeconds(Path stat) throws IOException {
        String line = Files.readString(stat);
        String[] fields = line.substring(line.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime
        return ticks / 100.0; // USER_HZ is 100 on Linux
    }
}
