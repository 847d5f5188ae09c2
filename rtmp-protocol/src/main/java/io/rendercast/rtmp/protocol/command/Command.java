package io.rendercast.rtmp.protocol.command;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.amf.Amf0Writer;
import io.rendercast.rtmp.protocol.amf.AmfException;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.message.MessageType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A command message as it is on the wire (AMF0 type 20, or AMF3 type 17): a name, a transaction id, a command
 * object and further arguments. {@link ClientCommand#decode} gives it a meaning.
 *
 * @param transactionId 0 when the sender expects no answer
 * @param commandObject often null
 * @param arguments     never null
 */
public record Command(String name, double transactionId, Object commandObject, List<Object> arguments) {

    public Command {
        arguments = Collections.unmodifiableList(new ArrayList<>(arguments));
    }

    /** The argument at {@code index}, or null when there are fewer. */
    public Object argument(int index) {
        return index < arguments.size() ? arguments.get(index) : null;
    }

    /**
     * Reads a command from a message payload, leaving the payload's reader index at its end. An AMF3 command
     * (type 17) starts with one format byte; after it, values are AMF0, and each may switch to AMF3 (0x11), as
     * Red5's client does for every one of them. The transaction id may therefore be an AMF3 integer: any AMF
     * number is taken.
     */
    public static Command read(ByteBuf payload, boolean amf3) {
        return read(payload, amf3, Amf0Reader.DEFAULT_MAX_DEPTH);
    }

    /** As {@link #read(ByteBuf, boolean)}, refusing values nested deeper than {@code maxDepth}. */
    public static Command read(ByteBuf payload, boolean amf3, int maxDepth) {
        if (amf3 && payload.isReadable()) {
            payload.skipBytes(1);
        }
        Amf0Reader reader = new Amf0Reader(payload, maxDepth);
        if (!(reader.read() instanceof String name)) {
            throw new AmfException("a command must start with its name as a string");
        }
        Object id = reader.hasMore() ? reader.read() : 0.0;
        if (!(id instanceof Number transactionId)) {
            throw new AmfException("command '" + name + "' has a transaction id that is not a number but "
                    + (id == null ? "null" : id.getClass().getSimpleName()));
        }
        Object commandObject = reader.hasMore() ? reader.read() : null;
        return new Command(name, transactionId.doubleValue(), commandObject, reader.readAll());
    }

    /** Reads an AMF0 command (type 20). */
    public static Command read(ByteBuf payload) {
        return read(payload, false);
    }

    /** Writes the command as AMF0 into {@code out}. */
    public void write(ByteBuf out) {
        Amf0Writer.write(out, name);
        Amf0Writer.write(out, transactionId);
        Amf0Writer.write(out, commandObject);
        for (Object argument : arguments) {
            Amf0Writer.write(out, argument);
        }
    }

    /** The command as an AMF0 message on a chunk stream and message stream. */
    public RawMessage toMessage(ByteBufAllocator alloc, int chunkStreamId, int messageStreamId) {
        ByteBuf payload = alloc.buffer();
        try {
            write(payload);
        } catch (RuntimeException e) {
            payload.release();
            throw e;
        }
        return new RawMessage(chunkStreamId, MessageType.COMMAND_AMF0.id(), messageStreamId, 0, payload);
    }
}
