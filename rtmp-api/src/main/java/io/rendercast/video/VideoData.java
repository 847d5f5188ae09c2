package io.rendercast.video;

import java.nio.ByteBuffer;

/**
 * Encoded video: one frame, or the data a player needs before the first frame (such as H.264's SPS and PPS).
 *
 * <p>The bytes are {@code data}'s remaining ones (position to limit). A direct buffer travels to the socket
 * with one copy only, into the server's own buffer; the server reads it without moving its position. An
 * encoder may return a view of its own memory that holds only until its next call: the server copies a frame
 * before the frame handler's {@code out} returns, so that is safe there; keep a copy ({@link #copy()}) to hold
 * it longer.
 *
 * @param data     the bytes; for H.264 an Annex B byte stream
 * @param keyFrame whether a decoder can start here
 */
public record VideoData(ByteBuffer data, boolean keyFrame) {

    /** Nothing to send. */
    public static final VideoData EMPTY = new VideoData(ByteBuffer.allocateDirect(0), false);

    public VideoData {
        if (data == null) {
            throw new NullPointerException("video data needs bytes; use VideoData.EMPTY for none");
        }
    }

    /** Video data holding a copy of {@code bytes} in a direct buffer. */
    public static VideoData copyOf(byte[] bytes, boolean keyFrame) {
        return new VideoData(ByteBuffer.allocateDirect(bytes.length).put(bytes).flip(), keyFrame);
    }

    /** The number of bytes. */
    public int size() {
        return data.remaining();
    }

    /** Whether there is nothing to send. */
    public boolean isEmpty() {
        return !data.hasRemaining();
    }

    /** The bytes, copied into a new array. */
    public byte[] toByteArray() {
        byte[] bytes = new byte[data.remaining()];
        data.get(data.position(), bytes);
        return bytes;
    }

    /** Video data that owns a copy of these bytes in a direct buffer, valid for as long as it is kept. */
    public VideoData copy() {
        ByteBuffer own = ByteBuffer.allocateDirect(size());
        own.put(0, data, data.position(), size());
        return new VideoData(own, keyFrame);
    }
}
