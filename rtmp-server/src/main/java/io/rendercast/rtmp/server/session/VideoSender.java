package io.rendercast.rtmp.server.session;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.rendercast.rtmp.server.amf.Amf0Writer;
import io.rendercast.rtmp.server.chunk.RawMessage;
import io.rendercast.rtmp.server.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.flv.FlvVideoTags;
import io.rendercast.rtmp.server.message.ChunkStreams;
import io.rendercast.rtmp.server.message.MessageType;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one playing stream's video to its player, and keeps that player's out-queue bounded.
 *
 * <p>Packages what the encoder made as its codec's FLV video tag, sends metadata and the sequence header
 * before the first frame, and counts frames in flight: when {@link #isFull()} the frame thread encodes nothing,
 * and the next frame sent after such a gap is a key frame. A player that stops reading therefore holds at most
 * {@code outQueueFrames} frames and Netty's high water mark of the server's memory.
 */
final class VideoSender {

    private final ServerConnection connection;
    private final Channel channel;
    private final ServerStream stream;
    private final FlvVideoCodec codec;
    private final VideoEncoder encoder;
    private final int capacity;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ChannelFutureListener frameWritten = future -> inFlight.decrementAndGet();
    private volatile boolean needKeyFrame = true;

    // Guarded by this.
    private long startNanos;
    private boolean headerSent;

    VideoSender(ServerConnection connection, ServerStream stream, FlvVideoCodec codec, VideoEncoder encoder) {
        this.connection = connection;
        this.channel = connection.channel();
        this.stream = stream;
        this.codec = codec;
        this.encoder = encoder;
        this.capacity = connection.options().outQueueFrames();
    }

    /** Playback starts: time 0. Sends the header now if the encoder was initialised already. */
    synchronized void start(VideoData initData, int width, int height) {
        startNanos = System.nanoTime();
        if (initData != null) {
            sendHeader(initData, width, height);
        } else if (codec == null) {
            sendMetadata(0, 0);
        }
    }

    /** Sends {@code onMetaData} and, for H.264, the AVC sequence header built from the encoder's init data. */
    synchronized void sendHeader(VideoData initData, int width, int height) {
        if (headerSent) {
            return;
        }
        headerSent = true;
        sendMetadata(width, height);
        if (codec == FlvVideoCodec.AVC) {
            send(FlvVideoTags.avcSequenceHeader(channel.alloc(), initData.data()), 0);
        } else if (!initData.isEmpty()) {
            sendAsIs(initData);
        }
    }

    private void sendMetadata(int width, int height) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (width > 0) {
            metadata.put("width", (double) width);
            metadata.put("height", (double) height);
        }
        metadata.put("framerate", stream.renderRate());
        if (codec != null) {
            metadata.put("videocodecid", (double) codec.id());
        }
        if (encoder != null && encoder.getParameter(VideoEncoder.BITRATE) != null) {
            metadata.put("videodatarate", Double.parseDouble(encoder.getParameter(VideoEncoder.BITRATE)) / 1000);
        }
        metadata.put("encoder", "Rendercast");
        ByteBuf payload = channel.alloc().buffer();
        Amf0Writer.write(payload, "onMetaData");
        Amf0Writer.writeEcmaArray(payload, metadata);
        connection.send(new RawMessage(ChunkStreams.STREAM_COMMAND, MessageType.DATA_AMF0.id(), stream.id(), 0, payload));
    }

    /** Whether the player is behind: too many frames in flight, or Netty's buffer above its high water mark. */
    boolean isFull() {
        return inFlight.get() >= capacity || !channel.isWritable();
    }

    /** A frame was skipped: the next one sent must be a key frame, so the encoder is asked for one. */
    void markGap() {
        needKeyFrame = true;
        if (encoder != null) {
            encoder.requestKeyFrame();
        }
    }

    /**
     * Sends a frame the frame handler made. Dropped when empty, before the sequence header, or when a key frame
     * is due and this is not one.
     */
    synchronized void sendFrame(VideoData frame) {
        if (frame == null || frame.isEmpty()) {
            return;
        }
        if ((codec == FlvVideoCodec.AVC && !headerSent) || (needKeyFrame && !frame.keyFrame())) {
            stream.countDropped();
            if (encoder != null) {
                encoder.requestKeyFrame();
            }
            return;
        }
        needKeyFrame = false;
        ByteBufAllocator alloc = channel.alloc();
        ByteBuf tag = codec == null ? alloc.buffer(frame.size()).writeBytes(frame.data())
                : codec == FlvVideoCodec.AVC ? FlvVideoTags.avcFrame(alloc, frame.data(), frame.keyFrame())
                : FlvVideoTags.simpleFrame(alloc, codec, frame.data(), frame.keyFrame());
        inFlight.incrementAndGet();
        channel.writeAndFlush(new RawMessage(ChunkStreams.VIDEO, MessageType.VIDEO.id(), stream.id(), timestamp(), tag))
                .addListener(frameWritten);
        stream.countSent();
    }

    /** Sends data from a play handler as a video message, unchanged. */
    synchronized void sendAsIs(VideoData data) {
        if (!data.isEmpty()) {
            send(channel.alloc().buffer(data.size()).writeBytes(data.data()), timestamp());
        }
    }

    /** The stream ended: the H.264 end of sequence, so that players flush their last frame. */
    synchronized void finish() {
        if (codec == FlvVideoCodec.AVC && headerSent) {
            send(FlvVideoTags.avcEndOfSequence(channel.alloc()), timestamp());
        }
    }

    private void send(ByteBuf tag, int timestamp) {
        connection.send(new RawMessage(ChunkStreams.VIDEO, MessageType.VIDEO.id(), stream.id(), timestamp, tag));
    }

    private int timestamp() {
        return (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
