package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.amf.Amf0Writer;
import io.rendercast.rtmp.protocol.amf.AmfException;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A data message (AMF0 type 18, or AMF3 type 15 with its leading format byte): a name and values, with no
 * transaction and no answer. {@code onMetaData} and {@code |RtmpSampleAccess} go out as these; Flash's
 * {@code NetStream.send} makes them.
 */
public record DataMessage(String name, List<Object> values) {

    public DataMessage {
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** Reads a data message of type 18, or of type 15 when {@code amf3} (one format byte first). */
    public static DataMessage read(ByteBuf payload, boolean amf3) {
        return read(payload, amf3, Amf0Reader.DEFAULT_MAX_DEPTH);
    }

    /** As {@link #read(ByteBuf, boolean)}, refusing values nested deeper than {@code maxDepth}. */
    public static DataMessage read(ByteBuf payload, boolean amf3, int maxDepth) {
        if (amf3 && payload.isReadable()) {
            payload.skipBytes(1);
        }
        Amf0Reader reader = new Amf0Reader(payload, maxDepth);
        if (!(reader.read() instanceof String name)) {
            throw new AmfException("a data message must start with its name as a string");
        }
        return new DataMessage(name, reader.readAll());
    }

    /** As an AMF0 data message (type 18). */
    public RawMessage toMessage(ByteBufAllocator alloc, int chunkStreamId, int messageStreamId) {
        ByteBuf payload = alloc.buffer();
        try {
            Amf0Writer.write(payload, name);
            for (Object value : values) {
                Amf0Writer.write(payload, value);
            }
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        return new RawMessage(chunkStreamId, MessageType.DATA_AMF0.id(), messageStreamId, 0, payload);
    }
}
