package io.rendercast.rtmp.server.broadcast;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.EventExecutor;
import io.rendercast.rtmp.protocol.chunk.SharedChunks;
import java.util.ArrayList;
import java.util.List;

/**
 * Held frames written to the players of one network thread, in one task on that thread and in one write and one
 * flush per player: a write from the frame thread to each channel would wake a network thread once per player.
 */
final class NetworkThreadWrite {

    private final List<SharedChunks> frames;
    private final List<BroadcastPlayer> players;
    private final int[] firstFrame; // by player: the first of the frames it is written

    /** @param capacity the most players it may get */
    NetworkThreadWrite(List<SharedChunks> frames, int capacity) {
        this.frames = frames;
        players = new ArrayList<>(capacity);
        firstFrame = new int[Math.max(1, capacity)];
    }

    /** The player is written the frames from {@code first} on. */
    void add(BroadcastPlayer player, int first) {
        firstFrame[players.size()] = first;
        players.add(player);
    }

    /** Hands the write to its network thread, with a reference to each frame of its own. */
    void submit(EventExecutor loop) {
        frames.forEach(SharedChunks::retain);
        loop.execute(() -> {
            try {
                writeAll();
            } finally {
                frames.forEach(SharedChunks::release);
            }
        });
    }

    /**
     * The chunked forms are looked up once for each run of players with the same chunk size and stream (usually
     * all of them), not once per player: the network threads would take turns at their locks.
     */
    private void writeAll() {
        ByteBuf[] chunked = new ByteBuf[frames.size()];
        int chunkSize = 0;
        int streamId = 0;
        try {
            for (int p = 0; p < players.size(); p++) {
                BroadcastPlayer player = players.get(p);
                int last = frames.size() - 1;
                if (player.chunkSize() == 0) {
                    for (int i = firstFrame[p]; i <= last; i++) {
                        player.write(frames.get(i));
                    }
                    continue;
                }
                if (chunked[0] == null || player.chunkSize() != chunkSize || player.messageStreamId() != streamId) {
                    release(chunked);
                    chunkSize = player.chunkSize();
                    streamId = player.messageStreamId();
                    for (int i = 0; i <= last; i++) {
                        chunked[i] = frames.get(i).chunksFor(player.viewer().alloc(), chunkSize, streamId);
                    }
                }
                for (int i = firstFrame[p]; i <= last; i++) {
                    player.writeChunked(chunked[i].retainedDuplicate(), i == last);
                }
            }
        } finally {
            release(chunked);
        }
    }

    private static void release(ByteBuf[] buffers) {
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null) {
                buffers[i].release();
                buffers[i] = null;
            }
        }
    }
}
