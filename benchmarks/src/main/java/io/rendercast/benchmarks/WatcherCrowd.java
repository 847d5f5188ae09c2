package io.rendercast.benchmarks;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An audience in a process of its own: {@code COUNT} RTMP players of one stream (a broadcast's watchers), each a
 * {@link PlayerCrowd} player that answers pings and acknowledges as a real one does, on one network thread. Prints
 * {@code watching N} once every one has received video, then every five seconds {@code still N}: how many received
 * video in those five seconds. It leaves when its standard input closes.
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
            List<PlayerCrowd.Counts> before = crowd.counts();
            System.out.println("watching " + watching(before));
            while (true) {
                TimeUnit.SECONDS.sleep(5);
                List<PlayerCrowd.Counts> now = crowd.counts();
                int still = 0;
                for (int i = 0; i < now.size(); i++) {
                    if (now.get(i).open() && now.get(i).videoMessages() > before.get(i).videoMessages()) {
                        still++;
                    }
                }
                System.out.println("still " + still);
                before = now;
            }
        }
    }

    private static long watching(List<PlayerCrowd.Counts> counts) {
        return counts.stream().filter(c -> c.open() && c.videoMessages() > 0).count();
    }
}
