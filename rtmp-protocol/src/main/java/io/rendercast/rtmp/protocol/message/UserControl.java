package io.rendercast.rtmp.protocol.message;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.chunk.RawMessage;

/**
 * User Control (type 4): an event and its value, a stream id or a ping's timestamp. Set Buffer Length carries
 * a buffer length in milliseconds as well; other events have none.
 *
 * @param event        {@code null} for an event this server does not know (such as Flash's 0x1a)
 * @param value        the stream id or timestamp
 * @param bufferMillis Set Buffer Length's buffer length, else 0
 */
public record UserControl(UserControlEvent event, int value, int bufferMillis) {

    public static UserControl of(UserControlEvent event, int value) {
        return new UserControl(event, value, 0);
    }

    /** Reads an event; one whose value is missing fails, one this server does not know reads as a null event. */
    public static UserControl read(ByteBuf payload) {
        ControlPayloads.require(payload, 2, MessageType.USER_CONTROL);
        UserControlEvent event = UserControlEvent.of(payload.readUnsignedShort());
        if (event == null) {
            return new UserControl(null, 0, 0);
        }
        ControlPayloads.require(payload, event == UserControlEvent.SET_BUFFER_LENGTH ? 8 : 4, MessageType.USER_CONTROL);
        int value = payload.readInt();
        return new UserControl(event, value, event == UserControlEvent.SET_BUFFER_LENGTH ? payload.readInt() : 0);
    }

    public RawMessage toMessage(ByteBufAllocator alloc) {
        ByteBuf payload = alloc.buffer(10).writeShort(event.id()).writeInt(value);
        if (event == UserControlEvent.SET_BUFFER_LENGTH) {
            payload.writeInt(bufferMillis);
        }
        return ControlPayloads.message(MessageType.USER_CONTROL, payload);
    }
}
