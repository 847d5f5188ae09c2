package io.rendercast.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An audience in a process of its own: {@code COUNT} RTMP players of one stream (a broadcast's watchers), each a
 * {@link PlayerCrowd} player that answers pings and acknowledges as a real one does, on one network thread. Prints
 * {@code watching N} once every one has received video, then every five seconds how many still do, and leaves
 * when its standard input closes.
 *
 * <p>{@code WatcherCrowd HOST PORT APP STREAM COUNT}
 */
public final class WatcherCrowd {

    private WatcherCrowd() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        InetSocketAddress address = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[4]);
        try (PlayerCrowd crowd = new PlayerCrowd(1)) {
            crowd.play(address, args[2], args[3], count);
            Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (System.in.read() >= 0) {
                        // the parent holds the pipe open while it wants an audience
                    }
                } catch (IOException e) {
                    // closed
                }
                System.exit(0);
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (watching(crowd.counts()) < count && System.nanoTime() < deadline) {
                TimeUnit.MILLISECONDS.sleep(200);
            }
            System.out.println("watching " + watching(crowd.counts()));
            while (true) {
                TimeUnit.SECONDS.sleep(5);
                System.out.println("still " + watching(crowd.counts()));
            }
        }
    }

    private static long watching(List<PlayerCrowd.Counts> counts) {
        return counts.stream().filter(c -> c.open() && c.videoMessages() > 0).count();
    }
}
