package io.rendercast.rtmp.protocol.message;

/** The chunk stream ids this server sends on: one per kind of traffic, so that each keeps small headers. */
public final class ChunkStreams {

    /** Protocol control and user control messages (the spec requires 2). */
    public static final int CONTROL = 2;
    /** Commands on the connection: {@code _result}, {@code _error}, calls. */
    public static final int COMMAND = 3;
    /** Commands and data on a stream: {@code onStatus}, {@code onMetaData}. */
    public static final int STREAM_COMMAND = 5;
    /** Video. */
    public static final int VIDEO = 6;
    /**
     * A broadcast's video: chunked once for all its players, each message with a format 0 header, so that no
     * connection's own chunk encoder may write here.
     */
    public static final int BROADCAST_VIDEO = 7;

    private ChunkStreams() {
    }
}
