package io.rendercast.rtmp.server.broadcast;

import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.server.playback.StreamClock;
import io.rendercast.rtmp.server.playback.StreamEncoder;
import io.rendercast.rtmp.server.playback.StreamEncoders;
import io.rendercast.rtmp.server.playback.StreamPlayback;
import io.rendercast.video.RgbaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;

/**
 * A lower rendition of a broadcast: the managed canvases the shared encode was made from, encoded again at a lower
 * bit rate by an encoder of its own, and sent to the players whose path is too slow for the shared encode. It
 * encodes only while someone plays it.
 */
final class BroadcastRendition {

    private static final System.Logger LOG = System.getLogger(BroadcastRendition.class.getName());

    private final long bitrate;
    private final BroadcastFanOut fanOut;
    private final Object where;
    // Set while no playback runs, read on its frame thread.
    private volatile StreamEncoder encoder;
    private volatile boolean failed;

    BroadcastRendition(long bitrate, BroadcastFanOut fanOut, Object where) {
        this.bitrate = bitrate;
        this.fanOut = fanOut;
        this.where = where;
    }

    long bitrate() {
        return bitrate;
    }

    BroadcastFanOut fanOut() {
        return fanOut;
    }

    /** Whether players can play it: it has an encoder that has not failed. */
    boolean plays() {
        return encoder != null && !failed;
    }

    /**
     * The broadcast's playback starts: a fresh encoder of {@code codec} from {@code encoders}, with the shared
     * encoder's parameters but this rendition's bit rate. Where there is none it does not {@link #plays play}, and
     * says why in the log.
     */
    void start(FlvVideoCodec codec, VideoEncoder shared, StreamEncoders encoders) {
        failed = false;
        StreamEncoder made = null;
        try {
            made = new StreamEncoder(codec.codecName(), encoders, fanOut::encoderInitialized);
            StreamEncoder.copyParameters(shared, made);
            made.setParameter(VideoEncoder.BITRATE, Long.toString(bitrate));
            fanOut.start(codec, made);
            encoder = made;
        } catch (VideoEncoderException e) {
            if (made != null) {
                made.closeOwned();
            }
            LOG.log(System.Logger.Level.WARNING, "{0}: no rendition at {1} bit/s: {2}", where, bitrate,
                    e.getMessage());
        }
    }

    /** The broadcast's clock, which its frames' stamps count on ({@link BroadcastFanOut#useClock}). */
    void useClock(StreamClock clock) {
        fanOut.useClock(clock);
    }

    /**
     * On the frame thread, a managed canvas the shared encoder has just encoded: encodes it for this rendition's
     * players, if it has any. An encoder that fails moves them up and is not used again in this playback.
     */
    void encode(RgbaCanvas canvas, int timestamp) {
        StreamEncoder using = encoder;
        if (using == null || failed || !fanOut.hasPlayers()) {
            return;
        }
        fanOut.takeArrivals(); // before the encode, so that the key frame they need is this one
        VideoData frame;
        try {
            if (!using.isInitialized()) {
                using.init(canvas.resolutionX(), canvas.resolutionY());
            }
            frame = using.encode(canvas);
        } catch (VideoEncoderException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "{0}: the rendition at {1} bit/s failed, its players move up: {2}",
                    where, bitrate, e.toString());
            failed = true;
            fanOut.evacuate();
            return;
        }
        fanOut.sendFrame(frame, timestamp);
    }

    /** The playback ended: its encoder is closed (once a stuck frame thread is done with it). */
    void stop(StreamPlayback ended, boolean frameThreadDone) {
        StreamEncoder used = encoder;
        encoder = null;
        if (used != null) {
            used.closeAtStop(ended, frameThreadDone); // no one is left to send what it held to
        }
        fanOut.reset();
    }
}
