package io.rendercast.rtmp.server.webrtc;

import io.netty.util.concurrent.EventExecutor;
import io.rendercast.rtmp.server.transport.LinkSample;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The media side of one WHEP viewer: its frames as RTP ({@link RtpOut}) spread over time by a {@link Pacer}, FEC
 * with them while the path loses some, NACKs answered as RTX, a sender report when asked; and how much may go,
 * from the viewer's transport-wide feedback: the rate Google Congestion Control finds ({@link CongestionController})
 * and the window that skips frames while too much is on the way ({@link CongestionWindow}). Packets it sends go to
 * {@code toPeer}; what is lost for good asks {@code keyFrameWanted} for a key frame, at most once a second.
 * Thread-safe: the encoder's thread sends frames, the port's reading thread gives feedback, the event loop asks how
 * much may go.
 */
final class RtpSender {

    private static final System.Logger LOG = System.getLogger(RtpSender.class.getName());
    /** The most payload in one RTP packet: what fits a path's MTU with IP, UDP, SRTP's tag and RTX's two bytes. */
    private static final int MOST_PAYLOAD = 1100;
    /**
     * Where the path is lossy ({@link CongestionController#lossy}), each retransmission goes twice,
     * {@value #SECOND_COPY_MILLIS} ms apart: one that is lost too costs the viewer another round trip of frozen picture
     * (at 5 % loss, one in twenty), where a second copy costs 5 % more of the rate. The copies come out of the same
     * budget as the retransmissions (a quarter of the media's rate). {@code -Drendercast.webrtc.resendTwice=false}
     * turns it off.
     */
    static final boolean RESEND_TWICE = !"false".equals(System.getProperty("rendercast.webrtc.resendTwice"));
    private static final long SECOND_COPY_MILLIS = 5;
    /** A key frame in place of retransmissions is asked for at most this often. */
    private static final long KEY_FRAME_FOR_LOSS_EVERY_NANOS = 1_000_000_000L;
    /** A probe's packets span this long at its rate at least (libwebrtc's least probe duration). */
    private static final long PROBE_MILLIS = 15;

    private final String session;
    private final WebRtcPort port;
    private final Consumer<byte[]> toPeer;
    private final EventExecutor executor;
    private final Runnable keyFrameWanted;
    /** Guards itself and the fields below but the pacer, which has a lock of its own, taken after this one. */
    private final RtpOut out;
    /** Media packets go out through it, spread over time; retransmissions and RTCP go at once. */
    private final Pacer pacer;
    private final CongestionController congestion = new CongestionController();
    private final CongestionWindow window = new CongestionWindow();
    /** When the congestion controller's state was last logged (at DEBUG). */
    private long traceNanos;
    /** When a key frame was last asked for packets the peer will not get. */
    private long keyFrameForLossNanos = Long.MIN_VALUE / 2;

    /**
     * @param session        the session's id, for the log
     * @param offer          the viewer's offer: the header extensions it took
     * @param toPeer         sends a datagram to the peer (nothing before the checks found it)
     * @param keyFrameWanted asks the stream for a key frame
     */
    RtpSender(String session, SdpOffer offer, WebRtcPort port, EventExecutor executor, Consumer<byte[]> toPeer,
              Runnable keyFrameWanted, int ssrc, int rtxSsrc, int fecSsrc) {
        this.session = session;
        this.port = port;
        this.toPeer = toPeer;
        this.executor = executor;
        this.keyFrameWanted = keyFrameWanted;
        this.out = new RtpOut(ssrc, rtxSsrc, fecSsrc, offer.transportCcId(), offer.playoutDelayId(),
                offer.absCaptureTimeId(), MOST_PAYLOAD);
        this.pacer = new Pacer(executor, packet -> {
            synchronized (out) {
                toPeer.accept(out.send(packet, System.nanoTime()));
            }
        }, dropped -> {
            port.countPacerDropped(dropped);
            keyFrameForLoss();
        });
    }

    /** The SSRCs of the media, its retransmissions (0: none) and its FEC (0: none), for the answer. */
    int[] ssrcs() {
        synchronized (out) {
            return new int[] {out.ssrc(), out.rtxSsrc(), out.fecSsrc()};
        }
    }

    /** The stream's codec is known: its packets go in the offer's payload types, with FlexFEC's where given. */
    void use(SdpOffer.VideoCodec codec, int flexfecPayloadType) {
        synchronized (out) {
            out.use(codec);
            if (flexfecPayloadType >= 0) {
                out.useFlexFec(flexfecPayloadType);
            }
        }
    }

    /** The keys DTLS gave: until then nothing is sent. */
    void keys(Srtp keys) {
        synchronized (out) {
            out.keys(keys);
        }
    }

    /** The wall-clock time of the stream's timestamp 0, for each frame's absolute capture time. */
    void streamClock(long epochMillis) {
        synchronized (out) {
            out.streamClock(epochMillis);
        }
    }

    /** One frame, stamped {@code timestamp}: into the pacer, with FEC as the path's loss asks. */
    void frame(FlvVideoFrames.Frame frame, int timestamp, byte[] av1SequenceHeader) {
        List<byte[]> packets;
        long fecPackets;
        synchronized (out) {
            out.protectAgainst(congestion.loss());
            fecPackets = out.fecPackets();
            packets = out.frame(frame, timestamp, av1SequenceHeader);
            fecPackets = out.fecPackets() - fecPackets;
        }
        port.countFecSent((int) fecPackets);
        pacer.add(packets);
    }

    /**
     * Transport-wide feedback: what arrived when, for the rate, the window and the round trip; and what it says
     * was lost and no NACK has had resent, resent now ({@link RtpOut#resendsDue}), unless the delay says a queue
     * grows: that loss is the queue's overflow, which more packets would only feed (the browser's NACKs still come).
     */
    void reported(Rtcp.Feedback.Reported reported) {
        List<Integer> due;
        List<byte[]> probe = List.of();
        long probeRate;
        synchronized (out) {
            long now = System.nanoTime();
            congestion.reported(out.reported(reported), now);
            probeRate = congestion.probeDue(now);
            if (probeRate > 0) {
                probe = out.probePackets(probeRate / 8 * PROBE_MILLIS / 1000);
                if (!probe.isEmpty()) {
                    congestion.probeSent(probe.size(), now);
                }
            }
            due = out.resendsDue();
            if (congestion.overusing()) {
                due = List.of();
            }
            out.roundTrip(congestion.roundTripMillis());
            if (LOG.isLoggable(System.Logger.Level.DEBUG) && System.nanoTime() - traceNanos > 1e9) {
                traceNanos = System.nanoTime();
                LOG.log(System.Logger.Level.DEBUG, "WHEP session {0}: {1}; {2} bytes in the pacer, {3} packets "
                        + "dropped there, {4} not resent", session, congestion, pacer.waitingBytes(), pacer.dropped(),
                        out.unmendable());
            }
        }
        if (!due.isEmpty()) {
            port.countResentUnasked(resend(due, false));
        }
        if (!probe.isEmpty()) {
            probe(probe, probeRate);
        }
    }

    /**
     * Sends a probe's packets spaced at {@code bitsPerSecond}, on the event loop beside the pacer's: its rate is what
     * the path's answer is measured against (sent at once, the packets would measure only the bottleneck's spacing).
     */
    private void probe(List<byte[]> packets, long bitsPerSecond) {
        port.countProbeSent();
        long at = 0;
        for (byte[] packet : packets) {
            executor.schedule(() -> {
                synchronized (out) {
                    toPeer.accept(out.sendProbe(packet, System.nanoTime()));
                }
            }, at, TimeUnit.NANOSECONDS);
            at += packet.length * 8_000_000_000L / bitsPerSecond;
        }
    }

    /**
     * Answers a NACK with what can be resent. Where some cannot (a loss longer than the packets kept, or than the
     * retransmission budget mends soon), a key frame is asked for at once, at most once a second: a browser that
     * waits on retransmissions that are not coming would freeze for seconds before its own PLI.
     */
    void resend(List<Integer> sequences) {
        int resent = resend(sequences, true);
        port.countRetransmitted(resent);
    }

    /**
     * Resends what can be of {@code sequences}, twice where the path loses enough; returns how many went. Of those
     * the peer {@code asked} for, any that cannot be resent asks for a key frame.
     */
    private int resend(List<Integer> sequences, boolean asked) {
        long notResent;
        int resent = 0;
        List<byte[]> secondCopies = new java.util.ArrayList<>();
        synchronized (out) {
            long unmendable = out.unmendable();
            boolean twice = RESEND_TWICE && congestion.lossy();
            for (int sequence : sequences) {
                byte[] packet = out.retransmission(sequence, asked);
                if (packet != null) {
                    byte[] sent = out.send(packet, System.nanoTime());
                    toPeer.accept(sent);
                    if (twice && out.budgetsACopy(sent.length)) {
                        secondCopies.add(sent); // the same SRTP packet: where both arrive, the peer drops one
                    }
                    resent++;
                }
            }
            notResent = out.unmendable() - unmendable;
        }
        if (!secondCopies.isEmpty()) {
            executor.schedule(() -> secondCopies.forEach(toPeer), SECOND_COPY_MILLIS, TimeUnit.MILLISECONDS);
        }
        port.countNotResent(notResent);
        if (notResent > 0) {
            keyFrameForLoss();
        }
        return resent;
    }

    /** Packets the peer will not get (not resent, or dropped by the pacer): a key frame, at most once a second. */
    private void keyFrameForLoss() {
        long now = System.nanoTime();
        synchronized (out) {
            if (now - keyFrameForLossNanos <= KEY_FRAME_FOR_LOSS_EVERY_NANOS) {
                return;
            }
            keyFrameForLossNanos = now;
        }
        keyFrameWanted.run();
    }

    /** Sends a sender report for now, once there is something to report on. */
    void report() {
        synchronized (out) {
            byte[] report = out.senderReport();
            if (report != null) {
                toPeer.accept(report);
            }
        }
    }

    /** Whether another frame may go: with no feedback, always; else while the window admits what is on the way. */
    boolean isWritable() {
        synchronized (out) {
            long acknowledged = out.acknowledged();
            if (acknowledged < 0) {
                return true; // no transport-wide feedback: nothing says what is on the way
            }
            long onTheWay = out.bytesSent() - acknowledged - out.bytesLost() + pacer.waitingBytes();
            long now = System.nanoTime();
            if (window.admits(onTheWay, congestion.windowBytes(), out.lastReportNanos(), now)) {
                return true;
            }
            congestion.heldBack(now);
            return false;
        }
    }

    /**
     * What was sent and what arrived, as TCP's transports sample theirs. Transport-wide feedback acknowledges
     * packets as TCP's acknowledgements do bytes: the same estimate and the same bit rate adaptation serve this
     * viewer. What it reports lost left the path: it counts as neither written nor received, so the delivery rate is
     * what arrived and the queue what is still on the way. What waits in the pacer is not written yet: it leaves at
     * 2.5 times the media's rate, and a key frame waiting there a moment must neither skip render ticks nor read as
     * a queue on the path (in the network bench, counted as held, it brought a 2.5 Mbit/s stream with no cap down to
     * 1.6). Without the feedback (an offer with no transport-cc) nothing is acknowledged.
     */
    LinkSample linkSample() {
        synchronized (out) {
            return new LinkSample(System.nanoTime(), out.bytesSent() - out.bytesLost(), 0, out.acknowledged(), 0);
        }
    }

    /** The path's capacity as GCC found it where the path queued, averaged over its overuses; -1: none lately. */
    long capacity() {
        return congestion.capacityBitsPerSecond(System.nanoTime());
    }

    /**
     * The rate Google Congestion Control finds, at most {@code ceiling}, less what FEC takes of it. The pacer
     * paces at the whole of it, as libwebrtc's does at its target.
     */
    long bitrate(long ceiling) {
        long target;
        double fecShare;
        synchronized (out) {
            target = congestion.bitsPerSecond(ceiling);
            fecShare = out.fecShare();
        }
        pacer.target(target);
        return (long) (target * (1 - fecShare));
    }

    void close() {
        pacer.close();
    }
}
