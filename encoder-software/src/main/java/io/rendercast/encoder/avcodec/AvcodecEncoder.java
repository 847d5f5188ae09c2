package io.rendercast.encoder.avcodec;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EAGAIN;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_RANGE_MPEG;
import static org.bytedeco.ffmpeg.global.avutil.AVCOL_SPC_SMPTE170M;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_I;
import static org.bytedeco.ffmpeg.global.avutil.AV_PICTURE_TYPE_NONE;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_YUV420P;

import io.rendercast.video.Canvas;
import io.rendercast.video.support.EncoderChecks;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVFrame;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacpp.BytePointer;

/**
 * An encoder on a libavcodec codec that takes I420 pictures: no B-frames, one frame out per frame in, a key
 * frame every {@code keyframe-interval} seconds (2 unless set) and whenever one is asked for. Subclasses name the
 * codec and set its options.
 *
 * <p>Canvases are converted to I420 ({@link RgbaToI420}) by encode, or earlier by {@link #prepare} on the thread
 * that rendered them ({@link PreparedPictures}).
 */
abstract class AvcodecEncoder implements VideoEncoder {

    static final int MAX_DIMENSION = 8192;
    /** A GOP no stream lasts: libx264's own "infinite" ({@code X264_KEYINT_MAX_INFINITE}). */
    private static final int NO_KEY_FRAMES = 1 << 30;
    /** Opening again at a new bit rate, for a codec that takes none while it encodes: see {@link #reopenDue}. */
    private static final double REOPEN_CUT = 6 / 7.0;
    private static final double REOPEN_CUT_SECONDS = 1;
    private static final double REOPEN_RISE = 1.25;
    private static final double REOPEN_RISE_SECONDS = 4;

    private final String codecName;
    private final String libraryName;
    private final Map<String, String> parameters = new LinkedHashMap<>();
    private volatile boolean keyFrameRequested;
    private AVCodecContext context;
    /** A lowered maximum rate, for the frame after the one that carries the lowered average ({@code pts}); or 0. */
    private long pendingMaxRate;
    private long pendingMaxRateAfter;
    private AVFrame frame;
    private AVPacket packet; // the packet the last VideoData views, held until the next call
    private AVPacket spare;
    private boolean packetHeld;
    private RgbaToI420 converter; // for canvases not prepared
    private volatile PreparedPictures prepared;
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private byte[] packetBytes = new byte[0];
    private int width;
    private int height;
    private long pts;
    /** The first opening's sequence header: a codec opened again must give the same one. */
    private byte[] sequenceHeader;
    /** The bit rate the codec was opened at, and the picture it opened before; for a codec that opens again. */
    private long openRate;
    private long openedAt;
    /** Pictures sent since the last key frame asked for or due by the interval, that one counted as 0. */
    private long sinceKey;
    /** Why a codec that opens again at a new bit rate does not any more; null while it does. */
    private String noReopening;
    /** Frames the codec last closed gave at its end, handed out one a call ahead of the new codec's. */
    private final ArrayDeque<VideoData> pending = new ArrayDeque<>();

    /**
     * @param codecName   the codec as {@code Stream.useCodec} names it
     * @param libraryName the libavcodec encoder's name, such as {@code libx264}
     */
    AvcodecEncoder(String codecName, String libraryName, String defaultPreset) {
        this.codecName = codecName;
        this.libraryName = libraryName;
        parameters.put(BITRATE, "2500000");
        parameters.put(FRAMERATE, "30");
        parameters.put(KEYFRAME_INTERVAL, "2");
        parameters.put(RATE_BUFFER, "1");
        if (refreshesIntra()) {
            parameters.put(INTRA_REFRESH, "false");
        }
        if (defaultPreset != null) {
            parameters.put(PRESET, defaultPreset);
        }
        if (!profiles().isEmpty()) {
            parameters.put(PROFILE, "high");
        }
    }

    /** The profiles the codec may be set to ({@link #PROFILE}), or none where it has no choice here. */
    Set<String> profiles() {
        return Set.of();
    }

    /** Sets the codec's own options before it opens. */
    abstract void configure(AVCodecContext context, AVDictionary options, Map<String, String> parameters);

    /**
     * Sets what else a codec needs, after {@link #configure}, to open again at another bit rate with the sequence
     * header it gave first (x265: the level, which it would otherwise choose by the rate).
     */
    void configureReopening(AVDictionary options, Map<String, String> parameters, byte[] sequenceHeader) {
    }

    /**
     * Whether the library takes a new bit rate between two frames. Measured ({@code ./rendercast bench bitrate}): libx264
     * does; libx265 and libsvtav1, through FFmpeg, keep the rate they opened with, so this encoder opens them again
     * at a new one ({@link #reopenDue}). FFmpeg's libx265 wrapper passes no change on, and going round it did not
     * help: the x265 in this FFmpeg build (API build 192, x265 3.4) takes {@code x265_encoder_reconfig} with a new
     * bitrate and VBV (it logs the reconfiguration, and its parameters read back changed), yet the stream it then
     * made was bit for bit the one it made without, at 0.1 or 6 Mbit/s asked of a 3 Mbit/s encoder (tried through
     * the API's function table, at 720p30, ultrafast, zero latency).
     */
    boolean changesBitrateWhileEncoding() {
        return false;
    }

    /**
     * Whether a frame the library flagged as a key frame is one a player can start at. libx264 refreshing a
     * column at a time flags the frame where each refresh ends (a recovery point, where a decoder that started
     * earlier has a whole picture), which is no place to start: a player resumes only at an IDR.
     */
    boolean startsAPicture(ByteBuffer frame) {
        return true;
    }

    /** Whether the codec refreshes the picture a column at a time when asked ({@code intra-refresh}). */
    boolean refreshesIntra() {
        return false;
    }

    /** The presets the codec takes; empty when it takes none. */
    abstract Set<String> presets();

    @Override
    public String identifier() {
        return codecName;
    }

    @Override
    public synchronized VideoData init(int width, int height) throws VideoEncoderException {
        if (context != null) {
            throw new VideoEncoderException(Reason.ALREADY_INITIALIZED, libraryName + " encoder is already "
                    + "initialised at " + this.width + "x" + this.height);
        }
        EncoderChecks.resolution(libraryName + " with 4:2:0 chroma", width, height, MAX_DIMENSION, true);
        AVCodecContext ctx = open(width, height, null);
        context = ctx;
        this.width = width;
        this.height = height;
        packet = avcodec.av_packet_alloc();
        spare = avcodec.av_packet_alloc();
        frame = RgbaToI420.newFrame(width, height);
        if (frame == null) {
            freeAll();
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, "cannot allocate a " + width + "x" + height
                    + " frame");
        }
        prepared = new PreparedPictures(width, height, libraryName);
        sequenceHeader = extradataOf(context);
        openRate = ctx.bit_rate();
        openedAt = 0;
        sinceKey = -1;
        return sequenceHeader.length == 0 ? VideoData.EMPTY : VideoData.copyOf(sequenceHeader, true);
    }

    /**
     * Opens the codec at the parameters set; {@code sequenceHeader} is the first opening's when it opens again at
     * another bit rate, for a codec that would otherwise choose another level for it.
     */
    private AVCodecContext open(int width, int height, byte[] sequenceHeader) throws VideoEncoderException {
        AVCodec codec = avcodec.avcodec_find_encoder_by_name(libraryName);
        if (codec == null) {
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, libraryName + " is not in the FFmpeg natives loaded");
        }
        int fps = (int) Math.round(Double.parseDouble(parameters.get(FRAMERATE)));
        AVCodecContext ctx = avcodec.avcodec_alloc_context3(codec);
        ctx.width(width);
        ctx.height(height);
        ctx.pix_fmt(AV_PIX_FMT_YUV420P);
        ctx.time_base(new AVRational().num(1).den(fps));
        ctx.framerate(new AVRational().num(fps).den(1));
        ctx.bit_rate(Long.parseLong(parameters.get(BITRATE)));
        capRate(ctx, ctx.bit_rate());
        long keyFrameFrames = EncoderChecks.keyFrameFrames(parameters.get(KEYFRAME_INTERVAL), fps);
        ctx.gop_size((int) (keyFrameFrames == 0 ? NO_KEY_FRAMES : Math.min(NO_KEY_FRAMES, keyFrameFrames)));
        ctx.max_b_frames(0);
        ctx.thread_count(threadsFor(width, height));
        ctx.color_range(AVCOL_RANGE_MPEG);
        ctx.colorspace(AVCOL_SPC_SMPTE170M);
        AVDictionary options = new AVDictionary(null);
        configure(ctx, options, parameters);
        if (sequenceHeader != null) {
            configureReopening(options, parameters, sequenceHeader);
        }
        int result = avcodec.avcodec_open2(ctx, codec, options);
        avutil.av_dict_free(options);
        if (result < 0) {
            avcodec.avcodec_free_context(ctx);
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, libraryName + " did not open at " + width + "x"
                    + height + ": " + errorText(result));
        }
        return ctx;
    }

    private static byte[] extradataOf(AVCodecContext context) {
        byte[] extradata = new byte[context.extradata_size()];
        if (extradata.length > 0) {
            context.extradata().get(extradata);
        }
        return extradata;
    }

    /**
     * Encoder threads for a picture: one per 640x360 worth of pixels, at most one fewer than the cores. A server
     * encodes many streams at once; small pictures gain nothing from threads of their own, and each costs a stack
     * and a context switch. The core left over is the render and network threads': on 2 cores a 720p stream that
     * encodes on both reached the viewer page's glass later in the tail (input to photon p99 above 60 ms in 6 of
     * 10 loopback runs, against 3 of 10 on one thread: {@code docs/network-page-threads.csv}), and one thread still
     * encodes it at 87 frames a second.
     */
    static int threadsFor(int width, int height) {
        int byPixels = (int) ((long) width * height / (640 * 360));
        return Math.max(1, Math.min(Runtime.getRuntime().availableProcessors() - 1, byPixels));
    }

    @Override
    public synchronized boolean isInitialized() {
        return context != null;
    }

    @Override
    public synchronized void setParameter(String name, String value) throws VideoEncoderException {
        if (name == null || value == null) {
            throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "parameter name and value must not be null");
        }
        switch (name) {
            case BITRATE -> {
                long bitrate = EncoderChecks.positiveNumber(name, value, Integer.MAX_VALUE);
                if (context != null && !changesBitrateWhileEncoding()) {
                    if (noReopening != null) {
                        throw new VideoEncoderException(Reason.ALREADY_INITIALIZED, noReopening);
                    }
                    // Taken when the codec opens again (reopenDue).
                } else if (context != null) {
                    // libx264 reconfigures its rate control, VBV included, when these change between frames, with
                    // no new key frame; the buffer stays a second at the new rate, so that a lower rate is not
                    // overrun for seconds by what the old buffer allowed. Other codecs read the new rate where
                    // their rate control looks at it, or not at all. FFmpeg hands libx264 the maximum before the
                    // average, one reconfiguration each: lowered together, the maximum would fall below the old
                    // average for a moment, and libx264 warns on stderr at every such change (a viewer on a
                    // changing link could fill the log). So a lower maximum follows at the next frame.
                    boolean lower = bitrate < context.bit_rate();
                    context.bit_rate(bitrate);
                    if (lower) {
                        pendingMaxRate = bitrate;
                        pendingMaxRateAfter = pts;
                    } else {
                        pendingMaxRate = 0;
                        capRate(context, bitrate);
                    }
                }
            }
            case FRAMERATE -> {
                EncoderChecks.positiveNumber(name, value, 240);
                EncoderChecks.beforeInit(context != null, name);
            }
            case KEYFRAME_INTERVAL -> {
                if (EncoderChecks.keyFrameFrames(value, 30) == 0 && "true".equals(parameters.get(INTRA_REFRESH))) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "keyframe-interval must be above 0 "
                            + "with intra-refresh: it is the time one refresh of the picture takes");
                }
                EncoderChecks.beforeInit(context != null, name);
            }
            case INTRA_REFRESH -> {
                if (!refreshesIntra()) {
                    throw unknownParameter(name);
                }
                if (!value.equals("true") && !value.equals("false")) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "intra-refresh must be true or false, "
                            + "got '" + value + "'");
                }
                if (value.equals("true") && EncoderChecks.keyFrameFrames(parameters.get(KEYFRAME_INTERVAL), 30) == 0) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "intra-refresh needs a "
                            + "keyframe-interval above 0: it is the time one refresh of the picture takes");
                }
                EncoderChecks.beforeInit(context != null, name);
            }
            case RATE_BUFFER -> {
                double seconds;
                try {
                    seconds = Double.parseDouble(value);
                } catch (NumberFormatException e) {
                    seconds = Double.NaN;
                }
                if (!(seconds >= 0.01 && seconds <= 10)) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "rate-buffer must be seconds from "
                            + "0.01 to 10, got '" + value + "'");
                }
            }
            case PROFILE -> {
                if (profiles().isEmpty()) {
                    throw unknownParameter(name);
                }
                if (!profiles().contains(value)) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "unknown " + libraryName + " profile '"
                            + value + "'; expected one of " + new java.util.TreeSet<>(profiles()));
                }
                EncoderChecks.beforeInit(context != null, name);
            }
            case PRESET -> {
                if (!presets().contains(value)) {
                    throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "unknown " + libraryName + " preset '"
                            + value + "'; expected one of " + presets());
                }
                EncoderChecks.beforeInit(context != null, name);
            }
            default -> throw unknownParameter(name);
        }
        parameters.put(name, value);
    }

    private VideoEncoderException unknownParameter(String name) {
        return new VideoEncoderException(Reason.INVALID_PARAMETERS, "unknown parameter '" + name + "'; "
                + libraryName + " takes bitrate, framerate, keyframe-interval, rate-buffer" + (refreshesIntra() ? ", intra-refresh"
                : "") + (profiles().isEmpty() ? "" : ", profile") + (presets().isEmpty() ? "" : " and preset"));
    }

    @Override
    public synchronized String getParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public List<String> supportedTypes() {
        return List.of(Canvas.RGBA);
    }

    @Override
    public synchronized VideoData encode(Canvas canvas) throws VideoEncoderException {
        if (context == null) {
            throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "encode called before init");
        }
        AVFrame picture = prepared.take(canvas);
        if (picture == null) {
            if (converter == null) { // made at the first canvas not prepared: a prepared stream needs none
                converter = new RgbaToI420(width, height, threadsFor(width, height), libraryName);
            }
            converter.check(canvas);
            converter.convert(canvas, frame);
            picture = frame;
        }
        try {
            return send(picture);
        } finally {
            if (picture != frame) {
                prepared.giveBack(picture);
            }
        }
    }

    @Override
    public void prepare(Canvas canvas) throws VideoEncoderException {
        PreparedPictures pictures = prepared;
        if (pictures != null) {
            pictures.prepare(canvas);
        }
    }

    /** Caps the rate at {@code bitrate}, with a VBV buffer of one second at it: constant bit rate. */
    private void capRate(AVCodecContext context, long bitrate) {
        double bufferSeconds = Double.parseDouble(parameters.get(RATE_BUFFER));
        context.rc_max_rate(bitrate);
        context.rc_buffer_size((int) Math.min(Integer.MAX_VALUE, bitrate * bufferSeconds));
    }

    /** Sends one I420 picture to the codec, and takes what it makes. */
    private VideoData send(AVFrame picture) throws VideoEncoderException {
        if (pendingMaxRate != 0 && pts > pendingMaxRateAfter) {
            capRate(context, pendingMaxRate);
            pendingMaxRate = 0;
        }
        boolean forceKey = keyFrameRequested;
        keyFrameRequested = false;
        releaseHeldPacket();
        if (!changesBitrateWhileEncoding() && reopenDue(forceKey)) {
            forceKey |= reopen();
        }
        sinceKey = forceKey || sinceKey + 1 >= context.gop_size() ? 0 : sinceKey + 1;
        picture.pts(pts++);
        picture.pict_type(forceKey ? AV_PICTURE_TYPE_I : AV_PICTURE_TYPE_NONE);
        VideoData made = drain(avcodec.avcodec_send_frame(context, picture), false);
        if (pending.isEmpty()) {
            return made;
        }
        if (!made.isEmpty()) {
            pending.add(made.copy());
        }
        return pending.poll();
    }

    /**
     * Whether a codec that takes no new bit rate while it encodes (libx265, libsvtav1) should open again at the
     * one set now. Opening again starts at a key frame: free where one comes anyway (asked for, or due by the
     * interval, where no intra refresh stands for it); otherwise only for a change worth a key frame, and not often. A cut of a seventh or more waits a
     * second from the last opening, because a path that has slowed fills its queue meanwhile; a rise of a quarter
     * or more waits four, because a path that had room has it still, and the key frame costs most on a slow one.
     */
    private boolean reopenDue(boolean keyFrameAnyway) {
        long rate = Long.parseLong(parameters.get(BITRATE));
        if (noReopening != null || rate == openRate) {
            return false;
        }
        boolean gopKeyFrame = !"true".equals(parameters.get(INTRA_REFRESH)) && sinceKey + 1 >= context.gop_size();
        if (keyFrameAnyway || gopKeyFrame) {
            return true;
        }
        double fps = Double.parseDouble(parameters.get(FRAMERATE));
        long since = pts - openedAt;
        return rate <= openRate * REOPEN_CUT && since >= fps * REOPEN_CUT_SECONDS
                || rate >= openRate * REOPEN_RISE && since >= fps * REOPEN_RISE_SECONDS;
    }

    /**
     * Opens the codec again at the bit rate set, and ends the one open: what it still holds (a frame behind, with
     * frame threads) goes out before the new codec's first. The new one must give the sequence header players
     * were sent; where it does not, the old one stays, and so does its rate, from then on.
     *
     * @return whether the codec opened again: the next frame is a key frame
     */
    private boolean reopen() throws VideoEncoderException {
        AVCodecContext fresh;
        try {
            fresh = open(width, height, sequenceHeader);
        } catch (VideoEncoderException e) {
            return keepRate(e.getMessage());
        }
        if (!Arrays.equals(extradataOf(fresh), sequenceHeader)) {
            avcodec.avcodec_free_context(fresh);
            return keepRate("its sequence header at " + parameters.get(BITRATE) + " bit/s is another than the one "
                    + "players were sent");
        }
        int result = avcodec.avcodec_send_frame(context, null);
        while (result >= 0) {
            result = avcodec.avcodec_receive_packet(context, spare);
            if (result >= 0) {
                byte[] bytes = new byte[spare.size()];
                spare.data().get(bytes);
                boolean key = (spare.flags() & AV_PKT_FLAG_KEY) != 0 && startsAPicture(ByteBuffer.wrap(bytes));
                pending.add(VideoData.copyOf(bytes, key));
                avcodec.av_packet_unref(spare);
            }
        }
        avcodec.avcodec_free_context(context);
        NativeMemory.freed();
        context = fresh;
        openRate = fresh.bit_rate();
        openedAt = pts;
        return true;
    }

    private boolean keepRate(String why) {
        noReopening = libraryName + " keeps the bit rate it opened with, " + openRate + " bit/s: " + why;
        parameters.put(BITRATE, Long.toString(openRate));
        return false;
    }

    /**
     * Takes what the encoder has made. With {@code keep} false a single packet is returned as a view of its own
     * memory, held until the next call (no copy); otherwise, or when several packets come, they are copied.
     */
    private VideoData drain(int sendResult, boolean keep) throws VideoEncoderException {
        if (sendResult < 0 && sendResult != AVERROR_EOF()) {
            throw new VideoEncoderException(Reason.LIBRARY_FAILURE, libraryName + " refused a frame: " + errorText(sendResult));
        }
        output.reset();
        boolean key = false;
        while (true) {
            int result = avcodec.avcodec_receive_packet(context, spare);
            if (result == AVERROR_EAGAIN() || result == AVERROR_EOF()) {
                break;
            }
            if (result < 0) {
                throw new VideoEncoderException(Reason.LIBRARY_FAILURE, libraryName + " failed: " + errorText(result));
            }
            key |= (spare.flags() & AV_PKT_FLAG_KEY) != 0;
            if (!keep && !packetHeld && output.size() == 0) {
                avcodec.av_packet_move_ref(packet, spare);
                packetHeld = true;
            } else {
                if (packetHeld) {
                    append(packet);
                    releaseHeldPacket();
                }
                append(spare);
                avcodec.av_packet_unref(spare);
            }
        }
        if (packetHeld) {
            ByteBuffer bytes = packet.data().capacity(packet.size()).asByteBuffer();
            return new VideoData(bytes, key && startsAPicture(bytes));
        }
        if (output.size() == 0) {
            return VideoData.EMPTY;
        }
        byte[] bytes = output.toByteArray();
        return VideoData.copyOf(bytes, key && startsAPicture(ByteBuffer.wrap(bytes)));
    }

    private void append(AVPacket from) {
        int size = from.size();
        if (packetBytes.length < size) {
            packetBytes = new byte[size];
        }
        from.data().get(packetBytes, 0, size);
        output.write(packetBytes, 0, size);
    }

    private void releaseHeldPacket() {
        if (packetHeld) {
            avcodec.av_packet_unref(packet);
            packetHeld = false;
        }
    }

    @Override
    public void requestKeyFrame() {
        keyFrameRequested = true;
    }

    @Override
    public synchronized VideoData close() {
        if (context == null) {
            return VideoData.EMPTY;
        }
        VideoData last;
        try {
            releaseHeldPacket();
            last = drain(avcodec.avcodec_send_frame(context, null), true);
        } catch (VideoEncoderException e) {
            last = VideoData.EMPTY;
        }
        freeAll();
        if (!pending.isEmpty()) {
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            boolean key = pending.peek().keyFrame();
            pending.add(last);
            for (VideoData data : pending) {
                all.writeBytes(data.toByteArray());
            }
            pending.clear();
            last = VideoData.copyOf(all.toByteArray(), key);
        }
        return last;
    }

    private void freeAll() {
        PreparedPictures pictures = prepared;
        if (pictures != null) {
            prepared = null;
            pictures.close();
        }
        if (converter != null) {
            converter.close();
            converter = null;
        }
        if (packet != null) {
            releaseHeldPacket();
            avcodec.av_packet_free(packet);
            avcodec.av_packet_free(spare);
            packet = null;
            spare = null;
        }
        if (frame != null) {
            avutil.av_frame_free(frame);
            frame = null;
        }
        if (context != null) {
            avcodec.avcodec_free_context(context);
            context = null;
            NativeMemory.freed();
        }
    }

    static String errorText(int error) {
        BytePointer buffer = new BytePointer(256);
        try {
            avutil.av_strerror(error, buffer, 256);
            return buffer.getString() + " (" + error + ")";
        } finally {
            buffer.close();
        }
    }
}
