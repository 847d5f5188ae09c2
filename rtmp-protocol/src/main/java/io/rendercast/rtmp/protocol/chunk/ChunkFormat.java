package io.rendercast.rtmp.protocol.chunk;

/** Constants of the chunk headers shared by the decoder and the encoder. */
final class ChunkFormat {

    /** Message type ids the chunk layer acts on itself. */
    static final int SET_CHUNK_SIZE = 1;
    static final int ABORT = 2;

    /** A chunk size every peer starts with. */
    static final int DEFAULT_CHUNK_SIZE = 128;
    /** The timestamp field value that says an extended timestamp follows. */
    static final int EXTENDED_TIMESTAMP_MARK = 0xFFFFFF;
    /** Message header sizes by format 0, 1, 2, 3. */
    static final int[] MESSAGE_HEADER_SIZE = {11, 7, 3, 0};

    private ChunkFormat() {
    }

    /** The size of the basic header that carries {@code chunkStreamId}. */
    static int basicHeaderSize(int chunkStreamId) {
        return chunkStreamId < 64 ? 1 : chunkStreamId < 320 ? 2 : 3;
    }
}
