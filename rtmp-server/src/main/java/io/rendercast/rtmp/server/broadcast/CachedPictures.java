package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.protocol.chunk.SharedChunks;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The frames of a broadcast since its last key frame, up to {@value #MAX_BYTES} bytes: a player who joins is
 * written them and starts at once, instead of waiting for the next key frame. Guarded by the fan-out's lock.
 */
final class CachedPictures implements Iterable<SharedChunks> {

    static final int MAX_BYTES = 16 << 20;

    private final ArrayDeque<SharedChunks> frames = new ArrayDeque<>();
    private long bytes;
    private boolean startsAtKeyFrame;

    /** Keeps the frame; true when it is kept (and released when it leaves). */
    boolean keep(SharedChunks chunks) {
        if (chunks.keyFrame()) {
            clear();
            startsAtKeyFrame = true;
        }
        if (!startsAtKeyFrame) {
            return false;
        }
        if (bytes + chunks.size() > MAX_BYTES) {
            clear(); // a group of pictures too large to keep: players who join now wait for a key frame
            return false;
        }
        frames.addLast(chunks);
        bytes += chunks.size();
        return true;
    }

    /** Whether a player can start from these frames: only a key frame makes the frames after it decodable. */
    boolean startsAtKeyFrame() {
        return startsAtKeyFrame;
    }

    @Override
    public Iterator<SharedChunks> iterator() {
        return frames.iterator();
    }

    void clear() {
        while (!frames.isEmpty()) {
            frames.pollFirst().release();
        }
        bytes = 0;
        startsAtKeyFrame = false;
    }
}
