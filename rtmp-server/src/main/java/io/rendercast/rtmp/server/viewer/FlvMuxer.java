package io.rendercast.rtmp.server.viewer;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.server.common.StatusMessages;
import java.util.List;
import java.util.Map;

/**
 * Turns a connection's outgoing RTMP messages into an FLV stream: the file header first, then each video
 * message and {@code onMetaData} as an FLV tag whose body is the message's payload itself (no copy: a small
 * header buffer and the payload, retained, side by side). Commands and control messages have no place in FLV
 * and are dropped, except a refusal before the stream starts (of the connect, or of the play: no such stream,
 * the application's no, no encoder, the server full), which is passed on to {@link #refused}: the player gets
 * the reason at once, not an open response that never carries a byte. When the stream stops
 * ({@code NetStream.Play.Stop}), {@link #ended} ends the response, so that the player sees the end of the stream.
 */
class FlvMuxer extends RtmpMessageTranslator {

    private static final byte[] FILE_HEADER = {'F', 'L', 'V', 1, 1, 0, 0, 0, 9, 0, 0, 0, 0};
    private static final int TAG_VIDEO = 9;
    private static final int TAG_SCRIPT = 18;

    private boolean started;
    private boolean ended;

    @Override
    void translate(ChannelHandlerContext ctx, RawMessage msg, List<Object> out) {
        int type = msg.typeId();
        if (type == MessageType.COMMAND_AMF0.id()) {
            Command command = Command.read(msg.payload().duplicate());
            Object refusal = started ? null : refusal(command);
            if (!started && refusal == null) {
                refusal = stopped(command);
            }
            if (refusal instanceof Map<?, ?> info) {
                started = true; // one answer only
                ended = true;
                refused(ctx, new Refusal(String.valueOf(info.get("code")), String.valueOf(info.get("description")),
                        Boolean.TRUE.equals(info.get(StatusMessages.RETRY))), out);
            } else if (started && !ended && stopped(command) != null) {
                // The stream stopped: an FLV stream's player has nothing more to wait for on this connection.
                ended = true;
                ended(ctx);
            }
            return;
        }
        if (type != MessageType.VIDEO.id() && !(type == MessageType.DATA_AMF0.id() && isMetadata(msg.payload()))) {
            return;
        }
        if (!started) {
            started = true;
            start(ctx, out);
            out.add(wrap(Unpooled.wrappedBuffer(FILE_HEADER)));
        }
        ByteBuf body = msg.payload();
        int size = body.readableBytes();
        int timestamp = msg.timestamp();
        ByteBuf header = ctx.alloc().ioBuffer(11);
        header.writeByte(type == MessageType.VIDEO.id() ? TAG_VIDEO : TAG_SCRIPT);
        header.writeMedium(size);
        header.writeMedium(timestamp & 0xFFFFFF);
        header.writeByte(timestamp >>> 24);
        header.writeMedium(0);
        out.add(wrap(Unpooled.wrappedUnmodifiableBuffer(header, body.retain(), ctx.alloc().ioBuffer(4).writeInt(11 + size))));
    }

    /** The information object of a refusal: connect's {@code _error}, or an {@code onStatus} at level error. */
    private static Object refusal(Command command) {
        return switch (command.name()) {
            case "_error" -> command.argument(0);
            case "onStatus" -> command.argument(0) instanceof Map<?, ?> info && "error".equals(info.get("level"))
                    ? info : null;
            default -> null;
        };
    }

    /**
     * The information object of {@code NetStream.Play.Stop}. Before the first tag it answers the request as a
     * refusal does (the encoder failed to open, the first render ended the stream): no player waits on nothing.
     */
    private static Object stopped(Command command) {
        return command.name().equals("onStatus") && command.argument(0) instanceof Map<?, ?> info
                && "NetStream.Play.Stop".equals(info.get("code")) ? info : null;
    }

    private static boolean isMetadata(ByteBuf payload) {
        int at = payload.readerIndex();
        // An AMF0 string marker, a 2-byte length of 10, then "onMetaData".
        return payload.readableBytes() > 13 && payload.getByte(at) == 2 && payload.getShort(at + 1) == 10
                && payload.getByte(at + 3) == 'o' && payload.getByte(at + 5) == 'M';
    }

    /** Called before the first bytes of the stream: a subclass sends what must precede them. */
    void start(ChannelHandlerContext ctx, List<Object> out) {
    }

    /**
     * Why a connection or its stream was refused.
     *
     * @param code   the status code an RTMP player would get, such as {@code NetStream.Play.StreamNotFound}
     * @param reason the refusal's description, for a person
     * @param retry  the server is full or drains, not the request wrong: the player may try again (a balancer
     *               sends it to another node)
     */
    record Refusal(String code, String reason, boolean retry) {
    }

    /** The connection or its stream was refused before anything was sent; the subclass says so and closes. */
    void refused(ChannelHandlerContext ctx, Refusal refusal, List<Object> out) {
    }

    /** The stream stopped after it started: the subclass ends what carries it, and closes. */
    void ended(ChannelHandlerContext ctx) {
    }

    /** What carries a piece of the stream; the bytes themselves for HTTP. */
    Object wrap(ByteBuf bytes) {
        return bytes;
    }
}
