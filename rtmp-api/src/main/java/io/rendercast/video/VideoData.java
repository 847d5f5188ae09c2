package io.rendercast.video;

/**
 * Encoded video: one frame, or the data a player needs before the first frame (such as H.264's SPS and PPS).
 *
 * @param data     the bytes; for H.264 an Annex B byte stream
 * @param keyFrame whether a decoder can start here
 */
public record VideoData(byte[] data, boolean keyFrame) {

    /** Nothing to send. */
    public static final VideoData EMPTY = new VideoData(new byte[0], false);

    public VideoData {
        if (data == null) {
            throw new NullPointerException("video data needs bytes; use VideoData.EMPTY for none");
        }
    }

    /** The number of bytes. */
    public int size() {
        return data.length;
    }

    /** Whether there is nothing to send. */
    public boolean isEmpty() {
        return data.length == 0;
    }
}
