package io.rendercast.rtmp.server.playback;

import io.netty.buffer.ByteBuf;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.protocol.flv.FlvVideoTags;
import io.rendercast.rtmp.protocol.message.ChunkStreams;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import java.util.ArrayDeque;

/**
 * Sends one playback's video to its player, and keeps that player's out-queue bounded.
 *
 * <p>Packages what the encoder made as its codec's FLV video tag (one copy, into a pooled direct buffer that the
 * chunk encoder slices), sends metadata and the sequence header before the first frame, and counts frames in
 * flight: a frame stays in flight until the socket has taken its last byte, which the sender sees when only its
 * own reference to the tag is left. When {@link #isFull()} the frame thread encodes nothing, and the next frame
 * sent after such a gap is a key frame. A player that stops reading therefore holds at most
 * {@code outQueueFrames} frames and Netty's high water mark of the server's memory.
 *
 * <p>Once {@link #closeFrames()} is called no frame goes out any more, whatever a late frame thread does; the
 * connection thread then sends the tail and the end of the sequence.
 */
final class VideoSender implements FrameSink {

    /**
     * What the server holds for a player, in time at the rate its path delivers: beyond this, frames wait longer
     * in the server than a player steering a render can bear, and the next one is skipped instead.
     */
    static final long MAX_HELD_MILLIS = 500;

    /**
     * What a viewer may hold undecoded, in time at the stream's frame rate: a device that decodes slower than
     * frames come would otherwise fall further behind with every frame, with no queue on the path to show it.
     */
    static final long MAX_WAITING_IN_VIEWER_MILLIS = 100;

    private final ViewerTransport viewer;
    private final ServerStream stream;
    private final FlvVideoCodec codec;
    private final VideoEncoder encoder;
    private final int capacity;
    private final ArrayDeque<ByteBuf> inFlight;
    /** For an encoder of the server's, which serves this player alone; null for frames the application encodes. */
    private final BitrateAdaptation adaptation;
    /** Its timestamp 0, sent in {@code onMetaData} so that a viewer can measure latency. */
    private final StreamClock clock = StreamClock.now();
    private volatile boolean needKeyFrame = true;

    // Guarded by this.
    private boolean headerSent;
    private boolean framesOpen = true;
    private boolean finished;
    private int lastTimestamp;

    /** @param capacity the most frames in flight to the player, its out-queue */
    VideoSender(ViewerTransport viewer, ServerStream stream, FlvVideoCodec codec, VideoEncoder encoder, int capacity) {
        this.viewer = viewer;
        this.stream = stream;
        this.codec = codec;
        this.encoder = encoder;
        this.capacity = capacity;
        this.inFlight = new ArrayDeque<>(capacity);
        this.adaptation = encoder == null ? null : new BitrateAdaptation(encoder);
        viewer.onKeyFrameWanted(this::markGap);
    }

    @Override
    public long clockZeroNanos() {
        return clock.zeroNanos();
    }

    /** Playback starts: sends the header now if the encoder was initialised already. */
    synchronized void start(VideoData initData, int width, int height) {
        if (initData != null) {
            sendHeader(initData, width, height);
        } else if (codec == null) {
            sendMetadata(0, 0);
        }
    }

    /** Sends {@code onMetaData} and, for H.264, the AVC sequence header built from the encoder's init data. */
    synchronized void sendHeader(VideoData initData, int width, int height) {
        if (headerSent || finished) {
            return;
        }
        headerSent = true;
        sendMetadata(width, height);
        ByteBuf header = StreamMetadata.sequenceHeader(viewer.alloc(), codec, initData);
        if (header != null) {
            send(header, 0);
        }
    }

    private void sendMetadata(int width, int height) {
        viewer.send(StreamMetadata.onMetaData(viewer.alloc(), stream.id(), width, height, stream.renderRate(),
                codec, encoder, clock.epochMillis(), stream.procedures()));
    }

    @Override
    public void adaptBitrate() {
        if (adaptation != null) {
            adaptation.onFrame(stream, viewer.linkSample(), viewer::congestionControlledBitrate,
                    viewer::congestionControlledCapacity, stream.bitratePolicy());
            stream.linkMeasured(adaptation.estimate(), adaptation.bitrate());
        }
    }

    /**
     * Whether the player is behind: too many frames not yet on the wire, Netty's buffer above its high mark, more
     * held in the server than the path delivers in {@link #MAX_HELD_MILLIS} ms, or more frames waiting in the
     * viewer's decoder than it shows in {@link #MAX_WAITING_IN_VIEWER_MILLIS} ms. Skipping a tick costs the player
     * no key frame in managed mode.
     */
    @Override
    public synchronized boolean isFull() {
        reapWritten();
        if (inFlight.size() >= capacity || !viewer.isWritable()) {
            return true;
        }
        long most = MAX_HELD_MILLIS * 1_000_000;
        // The path's queue is the bit rate's to mend: skipping for it kept the queue from standing long enough for
        // the rate to come down (RateAdaptationInteropTest), and the player got fewer frames instead. A page's
        // unshown frames are not counted here either: behind a relay or proxy, TCP's acknowledgements come from it,
        // and the path's queue then reads as unshown frames (SlowLinkPageTest failed so).
        if (adaptation != null && adaptation.heldNanos() > most) {
            return true;
        }
        // The viewer's own word on frames waiting in its decoder: fewer frames mend a slow device, a lower rate
        // would not. No relay on the path blurs this one, as it does TCP's acknowledgements.
        return viewer.framesWaitingInViewer() * 1000.0 / stream.renderRate() > MAX_WAITING_IN_VIEWER_MILLIS;
    }

    @Override
    public boolean leavesOutFrame() {
        return adaptation != null && adaptation.leavesOutFrame();
    }

    /** Frees the tags the socket has finished with: only the sender's own reference is left on them. */
    private void reapWritten() {
        while (!inFlight.isEmpty() && inFlight.peekFirst().refCnt() == 1) {
            inFlight.pollFirst().release();
        }
    }

    /** A frame was skipped: the next one sent must be a key frame, so the encoder is asked for one. */
    @Override
    public void markGap() {
        needKeyFrame = true;
        if (encoder != null) {
            encoder.requestKeyFrame();
        }
    }

    /**
     * Sends a frame the frame handler made, stamped {@code timestamp}. Dropped when empty, before the sequence
     * header, when a key frame is due and this is not one, or once frames are closed.
     */
    @Override
    public synchronized void sendFrame(VideoData frame, int timestamp) {
        if (frame == null || frame.isEmpty() || !framesOpen) {
            return;
        }
        if ((StreamMetadata.needsSequenceHeader(codec) && !headerSent) || (needKeyFrame && !frame.keyFrame())) {
            stream.countDropped();
            if (encoder != null) {
                encoder.requestKeyFrame();
            }
            return;
        }
        needKeyFrame = false;
        writeFrame(frame, timestamp);
    }

    private void writeFrame(VideoData frame, int timestamp) {
        ByteBuf tag = viewer.alloc().directBuffer(frame.size() + 16);
        try {
            FlvVideoTags.writeFrame(tag, codec, frame.data(), frame.keyFrame());
        } catch (RuntimeException e) {
            tag.release();
            throw e;
        }
        reapWritten();
        inFlight.addLast(tag.retain());
        lastTimestamp = timestamp;
        viewer.send(RawMessage.pooled(ChunkStreams.VIDEO, MessageType.VIDEO.id(), stream.id(), timestamp, tag));
        stream.countSent();
    }

    /** No frame from the frame thread goes out after this. */
    synchronized void closeFrames() {
        framesOpen = false;
    }

    /** What the encoder held at the stop: frames after the last one sent, a frame period apart. */
    synchronized void sendFlushed(VideoData frames, int framePeriodMillis) {
        if (!frames.isEmpty() && headerSent && !needKeyFrame) {
            writeFrame(frames, lastTimestamp + framePeriodMillis);
        }
    }

    /** Sends data from a play handler as a video message, unchanged: at 0 on start, after the last frame on stop. */
    synchronized void sendAsIs(VideoData data, int timestamp) {
        if (!data.isEmpty()) {
            ByteBuf tag = viewer.alloc().directBuffer(data.size());
            FlvVideoTags.copy(tag, data.data(), data.data().position(), data.size());
            send(tag, timestamp);
        }
    }

    /** The time of the last frame sent. */
    synchronized int lastTimestamp() {
        return lastTimestamp;
    }

    /**
     * The playback is over: with {@code tellPlayer}, the H.264 end of sequence goes out, so that players flush
     * their last frame. Nothing is sent after this.
     */
    synchronized void finish(boolean tellPlayer) {
        if (finished) {
            return;
        }
        framesOpen = false;
        if (tellPlayer && StreamMetadata.needsSequenceHeader(codec) && headerSent) {
            send(StreamMetadata.sequenceEnd(viewer.alloc(), codec), lastTimestamp);
        }
        finished = true;
        if (adaptation != null) {
            stream.linkMeasured(adaptation.estimate(), 0);
        }
        while (!inFlight.isEmpty()) {
            inFlight.pollFirst().release();
        }
    }

    private void send(ByteBuf tag, int timestamp) {
        viewer.send(new RawMessage(ChunkStreams.VIDEO, MessageType.VIDEO.id(), stream.id(), timestamp, tag));
    }
}
