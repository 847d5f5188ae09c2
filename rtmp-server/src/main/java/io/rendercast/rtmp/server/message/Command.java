package io.rendercast.rtmp.server.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.server.amf.Amf0Reader;
import io.rendercast.rtmp.server.amf.Amf0Writer;
import io.rendercast.rtmp.server.amf.AmfException;
import io.rendercast.rtmp.server.chunk.RawMessage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An AMF0 command message (type 20): a name, a transaction id, a command object and further arguments.
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

    /** Reads a command from a message payload, leaving the payload's reader index at its end. */
    public static Command read(ByteBuf payload) {
        Amf0Reader reader = new Amf0Reader(payload);
        if (!(reader.read() instanceof String name)) {
            throw new AmfException("a command must start with its name as an AMF0 string");
        }
        Object id = reader.hasMore() ? reader.read() : 0.0;
        if (!(id instanceof Double transactionId)) {
            throw new AmfException("command '" + name + "' has a transaction id that is not a number: " + id);
        }
        Object commandObject = reader.hasMore() ? reader.read() : null;
        return new Command(name, transactionId, commandObject, reader.readAll());
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

    /** The command as a message on a chunk stream and message stream. */
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
