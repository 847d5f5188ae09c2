package io.rendercast.rtmp.server.webrtc;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.ScheduledFuture;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.rtmp.server.playback.StreamMetadata;
import io.rendercast.rtmp.server.transport.ByteCounter;
import io.rendercast.rtmp.server.transport.LinkSample;
import io.rendercast.rtmp.server.transport.ViewerTransport;
import io.rendercast.rtmp.server.viewer.ViewerMessages;
import io.rendercast.video.VideoEncoder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.bouncycastle.tls.DTLSTransport;

/**
 * One WHEP viewer (RFC 9725): the transport of a connection like any other viewer's, whose frames go out as H.264
 * in RTP under SRTP on the server's WebRTC port. Its ICE-lite credentials and DTLS server are its own; its
 * connection's commands are not sent anywhere, but the answers to connect and play decide the HTTP answer to the
 * viewer's offer, and go to its data channel, where it opened one, as its page's WebSocket would carry them. The
 * page's calls come back on that channel. The browser's RTCP comes back: PLI and FIR ask the stream for a key frame;
 * NACKs and transport-wide feedback go to the session's {@link RtpSender}, which sends the frames and sets how fast.
 */
final class WhepSession implements ViewerTransport {

    private static final System.Logger LOG = System.getLogger(WhepSession.class.getName());
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final SecureRandom RANDOM = new SecureRandom();
    /** A peer's consent lapses after this long without an authenticated check (RFC 7675 says 30 s). */
    static final long CONSENT_NANOS = 30_000_000_000L;

    /** Why a WHEP offer got no session: an HTTP status and the reason, for the answer. */
    static final class Refused extends RuntimeException {
        final int status;

        Refused(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private final String id = HexFormat.of().formatHex(bytes(16));
    private final String ufrag = random(8);
    private final String password = random(24);
    private final WebRtcPort port;
    private final SdpOffer offer;
    private final EventExecutor executor;
    private final InetSocketAddress httpPeer;
    private final ByteCounter traffic = new ByteCounter();
    private final DtlsEndpoint dtls;
    private final CompletableFuture<Void> playing = new CompletableFuture<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final FlvVideoFrames frames = new FlvVideoFrames();
    /** The offer's codec the stream plays in, once its sequence header said which. */
    private final CompletableFuture<SdpOffer.VideoCodec> codec = new CompletableFuture<>();
    private final RtpSender media;
    /** One frame at 30 fps (x264 keeps at least one frame's worth at any rate). */
    static final String RATE_BUFFER_SECONDS = "0.034";
    /**
     * Whether FEC goes to players whose offer takes FlexFEC: {@code -Drendercast.webrtc.fec=false} turns it
     * off, to measure what it brings.
     */
    static final boolean FEC = !"false".equals(System.getProperty("rendercast.webrtc.fec"));
    private volatile InetSocketAddress peer;
    private volatile Srtp incoming;
    private volatile Runnable keyFrameWanted = () -> { };
    private volatile Runnable onClose = () -> { };
    private volatile Consumer<ClientCommand> commands = command -> { };
    /** The page's data channels, where the offer had a section for them; else null. */
    private final DataChannels dataChannels;
    private volatile ScheduledFuture<?> reports;
    /** When the peer's last authenticated check came: its consent to receive (RFC 7675). */
    private volatile long lastCheckNanos = System.nanoTime();
    private volatile ScheduledFuture<?> consent;

    WhepSession(WebRtcPort port, SdpOffer offer, EventExecutor executor, InetSocketAddress httpPeer) {
        this.port = port;
        this.offer = offer;
        this.executor = executor;
        this.httpPeer = httpPeer;
        this.dtls = new DtlsEndpoint(new DtlsSrtpServer(port.identity(), offer.fingerprint()), port.handshakes(),
                this::sendDtls, closed::get);
        this.dataChannels = offer.dataMid() == null ? null : new DataChannels(offer.sctpPort(), this::pageSaid);
        this.media = new RtpSender(id, offer, port, executor, this::sendToPeer, () -> keyFrameWanted.run(),
                RANDOM.nextInt(), RANDOM.nextInt(), RANDOM.nextInt());
    }

    String id() {
        return id;
    }

    String ufrag() {
        return ufrag;
    }

    String password() {
        return password;
    }

    InetSocketAddress peer() {
        return peer;
    }

    /**
     * Completes once the stream plays and its codec is known, with the codec; fails with {@link Refused} when the
     * connection or the play is refused, or the stream's codec is not in the offer.
     */
    CompletableFuture<SdpOffer.VideoCodec> playing() {
        return playing.thenCombine(codec, (started, chosen) -> chosen);
    }

    /** Told each command the page sends on its data channel. */
    void commands(Consumer<ClientCommand> commands) {
        this.commands = commands;
    }

    /** A text message on the page's data channel: a call, an answer or a pause, as its WebSocket would send. */
    private void pageSaid(String text) {
        ClientCommand command = ViewerMessages.read(text);
        if (command != null) {
            commands.accept(command);
        }
    }

    /** Told once when the session ends, for whatever reason: the connection's end. */
    void onClose(Runnable onClose) {
        this.onClose = onClose;
    }

    /**
     * The SDP answer: ICE-lite, one host candidate on {@code host}, DTLS passive, the stream's {@code codec} (and
     * RTX) send-only.
     */
    String answer(SdpOffer.VideoCodec codec, String host) {
        int[] ssrcs = media.ssrcs();
        return SdpAnswer.write(offer, codec, host, port.localAddress().getPort(), ufrag, password,
                port.identity().fingerprint(), ssrcs[0], ssrcs[1], ssrcs[2]);
    }

    /** Starts waiting for the peer's checks and DTLS handshake; closed if they do not come in time. */
    void start() {
        port.add(this);
        // A peer that stops its checks has gone (a closed tab, a lost network): the session ends with it.
        consent = executor.scheduleAtFixedRate(() -> {
            if (System.nanoTime() - lastCheckNanos > CONSENT_NANOS) {
                LOG.log(System.Logger.Level.DEBUG, "WHEP session {0}: no check from its peer for {1} s; it ends",
                        id, CONSENT_NANOS / 1_000_000_000L);
                close();
            }
        }, 1, 1, TimeUnit.SECONDS);
        Thread.ofVirtual().name("whep-dtls-" + id.substring(0, 8)).start(this::run);
    }

    // ---- the port's reading thread ----

    /** An authentic binding request from {@code from}: answered, and its address taken as the peer's. */
    void checked(StunMessage request, InetSocketAddress from) {
        if (closed.get()) {
            return;
        }
        lastCheckNanos = System.nanoTime();
        InetSocketAddress previous = peer;
        if (previous == null || (request.useCandidate() && !from.equals(previous))) {
            peer = from;
            port.bind(this, previous, from);
            if (closed.get()) {
                port.remove(this); // closed meanwhile: the address must not stay bound to it
            }
        }
        byte[] response = request.successResponse(from, password);
        try {
            port.send(response, 0, response.length, from);
        } catch (IOException e) {
            // the port closed
        }
    }

    /** A datagram from the peer that is not STUN: DTLS, or SRTCP once DTLS is done. */
    void received(byte[] datagram) {
        traffic.countRead(datagram.length);
        int first = datagram[0] & 0xFF;
        if (first >= 20 && first <= 63) {
            dtls.received(datagram);
        } else if (first >= 128 && first <= 191 && datagram.length >= 8) {
            int packetType = datagram[1] & 0xFF;
            Srtp keys = incoming;
            if (keys != null && packetType >= 192 && packetType <= 223) {
                byte[] rtcp = keys.unprotectRtcp(datagram, datagram.length);
                port.countRtcpRead();
                feedback(rtcp);
            }
        }
    }

    private void feedback(byte[] rtcp) {
        for (Rtcp.Feedback f : Rtcp.read(rtcp)) {
            switch (f) {
                case Rtcp.Feedback.KeyFrameWanted k -> {
                    port.countKeyFrameAsked();
                    keyFrameWanted.run();
                }
                case Rtcp.Feedback.Lost lost -> media.resend(lost.sequences());
                case Rtcp.Feedback.Reported reported -> media.reported(reported);
            }
        }
    }

    // ---- DTLS ----

    /**
     * The session's thread: the DTLS handshake, then reading DTLS until the session ends: the data channels' SCTP,
     * where there are any; and in any case BouncyCastle resends its last flight, and sees the peer's close, only
     * while something reads.
     */
    private void run() {
        DTLSTransport dtlsTransport = handshake();
        if (dtlsTransport == null) {
            return;
        }
        if (dataChannels != null) {
            dataChannels.connected(dtlsTransport);
        }
        try {
            readDtls();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "WHEP session {0}: DTLS ended: {1}", id, e.toString());
        } finally {
            close();
        }
    }

    /** The handshake, then the keys and reports it makes possible; null (and closed) if it failed. */
    private DTLSTransport handshake() {
        try {
            DtlsSrtpServer.Agreed agreed = dtls.handshake();
            incoming = Srtp.of(agreed.srtpProfile(), agreed.srtpKeyingMaterial(), false);
            media.keys(Srtp.of(agreed.srtpProfile(), agreed.srtpKeyingMaterial(), true));
            // What was sent before the keys was dropped: the picture starts at a key frame.
            keyFrameWanted.run();
            reports = executor.scheduleAtFixedRate(this::report, 1, 1, TimeUnit.SECONDS);
            if (closed.get()) {
                reports.cancel(false); // closed while the handshake ended: close() may not have seen it
                return null;
            }
            LOG.log(System.Logger.Level.DEBUG, "WHEP {0}: DTLS done with {1}", id, peer);
            return dtls.transport();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.INFO, "WHEP session {0} from {1}: DTLS failed: {2}", id, httpPeer,
                    e.getMessage());
            close();
        } catch (InterruptedException e) {
            close();
        }
        return null;
    }

    /**
     * Reads what comes over DTLS after the handshake, on the handshake's thread: SCTP packets of the page's data
     * channels. A packet or message the page should not send ends the session, as bad input on its WebSocket ends
     * that connection.
     */
    private void readDtls() throws IOException {
        byte[] packet = new byte[dtls.receiveLimit()];
        while (!closed.get()) {
            int length = dtls.receive(packet, 250);
            if (dataChannels == null) {
                continue; // application data with no data channel offered: nothing to give it to
            }
            try {
                if (length > 0) {
                    dataChannels.receive(packet, length);
                }
                dataChannels.tick(System.nanoTime());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.INFO, "WHEP session {0}: its data channel: {1}; the session ends", id,
                        e.getMessage());
                return;
            }
        }
    }

    private void report() {
        if (!closed.get()) {
            media.report();
        }
    }

    // ---- the connection's side: ViewerTransport ----

    @Override
    public ByteBufAllocator alloc() {
        return ByteBufAllocator.DEFAULT;
    }

    @Override
    public void send(RawMessage message) {
        if (closed.get()) {
            message.release();
            return;
        }
        try {
            MessageType type = MessageType.of(message.typeId());
            if (type == MessageType.VIDEO) {
                sendVideo(message.payload(), message.timestamp());
            } else {
                if (type == MessageType.COMMAND_AMF0) {
                    answered(Command.read(message.payload().duplicate()));
                }
                long clockEpochMillis = StreamMetadata.clockEpochMillis(message);
                if (clockEpochMillis >= 0) {
                    media.streamClock(clockEpochMillis);
                }
                String text = dataChannels == null ? null : ViewerMessages.text(message);
                if (text != null) {
                    dataChannels.sendText(text);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "WHEP session {0}: a message of type {1} not sent: {2}", id,
                    message.typeId(), e.getMessage());
        } finally {
            message.release();
        }
    }

    private void sendVideo(ByteBuf tag, int timestamp) {
        FlvVideoFrames.Frame frame;
        try {
            frame = frames.read(tag);
        } catch (IllegalArgumentException e) {
            // Said once, then the session ends: a stream in another codec would say it every frame.
            LOG.log(System.Logger.Level.INFO, "WHEP session {0}: {1}; the session ends", id, e.getMessage());
            playing.completeExceptionally(new Refused(406, e.getMessage()));
            close();
            return;
        }
        if (!codec.isDone() && frames.codec() != null) {
            String streamProfile = frames.h264Profile();
            SdpOffer.VideoCodec offered = offer.codecFor(frames.codec(), streamProfile);
            if (offered != null && offered.h264Profile() != null && streamProfile != null
                    && !offered.holdsH264Profile(streamProfile)) {
                // An encoder the application opened itself keeps its profile. Chromium's software decoder plays
                // a higher one; a hardware decoder held to the profile answered may not.
                LOG.log(System.Logger.Level.INFO, "WHEP session {0}: the stream is H.264 {1}, above the offer''s "
                        + "profiles; sent as {2}, which decoders bound to it may refuse", id, streamProfile,
                        offered.h264Profile());
            }
            if (offered == null) {
                String why = "the stream plays " + frames.codec() + ", which the offer does not take";
                LOG.log(System.Logger.Level.INFO, "WHEP session {0}: {1}; the session ends", id, why);
                playing.completeExceptionally(new Refused(406, why));
                close();
                return;
            }
            media.use(offered, FEC ? offer.flexfecPayloadType() : -1);
            codec.complete(offered);
        }
        if (frame != null) {
            media.frame(frame, timestamp, frames.av1SequenceHeader());
        }
    }

    /** Sends a DTLS record to the peer, once the checks found it. */
    private void sendDtls(byte[] buf, int off, int len) throws IOException {
        InetSocketAddress to = peer;
        if (to != null) {
            port.send(buf, off, len, to);
        }
    }

    /** Sends a datagram to the peer, once the checks found it. */
    private void sendToPeer(byte[] datagram) {
        InetSocketAddress to = peer;
        if (to == null) {
            return;
        }
        try {
            port.send(datagram, 0, datagram.length, to);
            traffic.countWritten(datagram.length);
        } catch (IOException e) {
            close();
        }
    }

    /** The answers to connect and play decide the HTTP answer to the offer. */
    private void answered(Command command) {
        if (playing.isDone()) {
            return;
        }
        if ("_error".equals(command.name())) {
            playing.completeExceptionally(new Refused(403, description(command.argument(0), "connect refused")));
        } else if ("onStatus".equals(command.name()) && command.argument(0) instanceof Map<?, ?> status) {
            String code = String.valueOf(status.get("code"));
            if ("NetStream.Play.Start".equals(code)) {
                playing.complete(null);
            } else if ("error".equals(status.get("level"))) {
                playing.completeExceptionally(new Refused(code.endsWith("StreamNotFound") ? 404 : 403,
                        code + ": " + description(status, "")));
            }
        }
    }

    private static String description(Object info, String otherwise) {
        return info instanceof Map<?, ?> map && map.get("description") != null
                ? String.valueOf(map.get("description")) : otherwise;
    }

    @Override
    public boolean isWritable() {
        return media.isWritable();
    }

    @Override
    public LinkSample linkSample() {
        return media.linkSample();
    }

    /**
     * Google Congestion Control sets this viewer's rate from when its packets arrived, as a browser's own WebRTC
     * sender would; the server's estimate from acknowledgements (for TCP's transports) does not. Without the
     * transport-wide feedback (an offer with no transport-cc) the rate stays where the application set it.
     */
    @Override
    public long congestionControlledBitrate(long ceiling) {
        if (offer.transportCcId() <= 0) {
            return -1;
        }
        return media.bitrate(ceiling); // the rate carries the FEC too: the encoder gets what it leaves
    }

    @Override
    public long congestionControlledCapacity() {
        return offer.transportCcId() <= 0 ? -1 : media.capacity();
    }

    /**
     * The highest H.264 profile the offer takes, and a rate buffer of one frame ({@value #RATE_BUFFER_SECONDS} s), the
     * single-frame VBV NVIDIA's encoder guide recommends for game streaming: no frame takes much more of the path
     * than a frame's share of the rate, so a hard one (the picture an input changed) does not queue the frames behind
     * it. Congestion control changes the rate often, and x264 with its second of buffer still sent 2.3 Mbit/s 0.7 s
     * after a cut to 1.28 (bench network-page, the step from 6 to 1.5 Mbit/s: the router's queue overflowed, 45 %
     * loss); at 0.25 s the new rate held at once, and the step cell went from 3 freezes to none; at one frame, after
     * that step, input to photon fell from p50 165 / p99 228 ms to 144 / 191 and 203 (a frame's p99 was 12.5 KB, 67 ms
     * of the path, at 0.25 s).
     */
    @Override
    public Map<String, String> encoderSettings() {
        String profile = offer.highestH264Profile();
        return profile == null ? Map.of(VideoEncoder.RATE_BUFFER, RATE_BUFFER_SECONDS)
                : Map.of(VideoEncoder.RATE_BUFFER, RATE_BUFFER_SECONDS, VideoEncoder.PROFILE, profile);
    }

    @Override
    public void onKeyFrameWanted(Runnable request) {
        this.keyFrameWanted = request;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public EventExecutor executor() {
        return executor;
    }

    @Override
    public int chunkSize() {
        return 0;
    }

    @Override
    public void writeChunked(ByteBuf chunked, boolean flush) {
        chunked.release(); // a transport of whole messages is never handed chunks
    }

    @Override
    public InetSocketAddress peerAddress() {
        return httpPeer;
    }

    /** The bytes this session sent and received, for its connection's figures. */
    ByteCounter traffic() {
        return traffic;
    }

    @Override
    public void closeAfterFlush(Duration timeout) {
        close();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        port.remove(this);
        media.close();
        ScheduledFuture<?> reporting = reports;
        if (reporting != null) {
            reporting.cancel(false);
        }
        ScheduledFuture<?> consenting = consent;
        if (consenting != null) {
            consenting.cancel(false);
        }
        dtls.close();
        playing.completeExceptionally(new Refused(503, "the session closed before its stream played"));
        codec.completeExceptionally(new Refused(503, "the session closed before its stream played"));
        onClose.run();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private static String random(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return text.toString();
    }
}
