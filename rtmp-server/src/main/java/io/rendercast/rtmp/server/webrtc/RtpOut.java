package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * What one WebRTC viewer is sent: H.264 access units as RTP packets, each with the header extensions the offer
 * took (transport-wide congestion control's sequence number, and a playout delay of 0 to 100 ms so that the
 * browser holds no more of a jitter buffer than the path's jitter needs; on a frame's first packet, the wall-clock
 * time it was rendered, as absolute capture time); after each frame's packets, while the path
 * loses some and the offer took FlexFEC, FEC packets on a stream of their own that let the browser rebuild a lost one
 * at once ({@link FlexFec}); the last {@link #KEPT} kept to answer NACKs as RTX (RFC 4588: a stream of its
 * own, its payload the lost packet's sequence number and payload), each at most once in half a round trip and all
 * within a quarter of what the media takes, and to resend unasked what the feedback reports lost and no NACK had
 * resent; sender reports; and SRTP over all once DTLS has
 * given the keys. The receiver's transport-wide feedback says which packets' fate it knows: the bytes sent through
 * the newest of them are its acknowledgement, as TCP's acknowledgements are for the other transports. Not
 * thread-safe: its session uses it under its lock.
 */
final class RtpOut {

    /** Packets kept for retransmission: at 2.5 Mbit/s about 1.5 s of video. */
    static final int KEPT = 512;
    /** Transport-wide sequence numbers remembered, with the bytes sent through each. */
    private static final int TRANSPORT_KEPT = 8192;
    private static final int RTP_HEADER = 12;
    /**
     * The most playout delay the browser may add, in 10 ms units. At 0 Chromium renders each frame as it completes,
     * and drops those that complete together after a retransmission or a burst: in the network bench the page drew
     * 23 to 26 frames a second of 30 at 0, 29 at 100 ms, with input to photon no worse (p99 176 against 229 ms with
     * no cap, 238 against 253 at 1.5 Mbit/s and 80 ms); 50 ms fell between.
     */
    static final int MOST_PLAYOUT_DELAY = 10;

    private final H264RtpPacketizer h264;
    private final Av1RtpPacketizer av1;
    /** The stream's codec as the answer named it; null until the stream's sequence header says which. */
    private SdpOffer.VideoCodec codec;
    private int payloadType = -1;
    private int fecPayloadType = -1;
    private final int fecSsrc;
    private int fecSequence;
    /** The loss FEC protects against; 0 while none goes. */
    private double fecLoss;
    private double fecShare;
    private long fecPackets;
    private int rtxPayloadType = -1;
    private final int ssrc;
    private final int rtxSsrc;
    private final int transportCcId;
    private final int playoutDelayId;
    /**
     * Retransmissions may take this share of what the media took: a receiver behind a congested path asks again
     * for packets the path dropped, and answering all of it would congest the path further (libwebrtc caps them
     * too). The budget is kept in bytes, at most {@link #MOST_RETRANSMISSION_BUDGET}.
     */
    private static final double RETRANSMISSION_SHARE = 0.25;
    private static final long MOST_RETRANSMISSION_BUDGET = 32 * 1024;
    /**
     * A packet is resent at most once in half a round trip, however often it is asked for (a NACK repeated in
     * the next feedback). Not a whole round trip: the browser asks again a round trip after its first NACK, which
     * comes less than a round trip after the resend, and a fixed 100 ms on an 80 ms path turned away that second
     * NACK when the first RTX was lost, for one more round trip of frozen picture.
     */
    private static final long LEAST_RESEND_NANOS = 10_000_000L;
    private static final long MOST_RESEND_NANOS = 100_000_000L;
    private long resendEveryNanos = MOST_RESEND_NANOS;
    /**
     * A packet the feedback reports lost is resent unasked only if it left within twice the round trip and 100 ms
     * of the newest: one older (lost in a blackout, reported once the path is back) the browser has asked for,
     * given up on, or asked a key frame for, and resent now it would only delay what follows.
     */
    private long resendUnaskedWithinNanos = 300_000_000L;

    private final byte[][] kept = new byte[KEPT][];
    private final long[] resentAt = new long[KEPT];
    private long retransmissionBudget;
    /** NACKed packets that could not be resent: no longer kept, or beyond the budget. */
    private long unmendable;
    /** Each remembered transport-wide number's packet size, to count it received or lost once reported. */
    private final int[] transportSizes = new int[TRANSPORT_KEPT];
    /** When each remembered transport-wide number left for the peer ({@link System#nanoTime()}): numbered as it left. */
    private final long[] transportSent = new long[TRANSPORT_KEPT];
    /**
     * What each remembered transport-wide number carried: a media packet's sequence number, {@link #RESENT} with the
     * sequence number an RTX packet resent, {@link #NO_MEDIA} (FEC), or {@link #PROBE}.
     */
    private final int[] transportCarried = new int[TRANSPORT_KEPT];
    private static final int RESENT = 0x10000;
    private static final int NO_MEDIA = -1;
    private static final int PROBE = -2;
    /** The least packets in a probe (libwebrtc's). */
    static final int LEAST_PROBE_PACKETS = 5;
    /** Media packets the feedback reported lost, to resend unasked ({@link #resendsDue}). */
    private final java.util.ArrayDeque<Integer> reportedLost = new java.util.ArrayDeque<>();
    /**
     * The most packets waiting in {@link #reportedLost}: a report may name thousands lost (a blackout, or a peer that
     * lies), and the retransmission budget would turn most of them away in any case.
     */
    private static final int MOST_REPORTED_LOST = 64;
    /** The newest transport-wide number whose fate was counted, unwrapped; -1: none yet. */
    private long accountedThrough = -1;
    private long lastReportNanos;
    private long bytesLost;
    private int sequence;
    /** The newest media packet that has left ({@link #send}); -1: none yet. */
    private int newestMediaSent = -1;
    private int rtxSequence;
    /** The next transport-wide sequence number, unwrapped. */
    private long transportSequence;
    private long bytesSent;
    private long acknowledged = -1;
    private Srtp keys;
    private long packets;
    private long octets;
    private long lastRtpTimestamp = -1;
    private long lastSentMillis;
    private final int absCaptureTimeId;
    private long clockEpochMillis = -1;

    /**
     * @param transportCcId  the header extension id of the transport-wide sequence number, or -1: none sent
     * @param playoutDelayId the header extension id of the playout delay, or -1: none sent
     * @param absCaptureTimeId the header extension id of the absolute capture time, or -1: none sent
     * @param mostPayload    the most bytes of payload in one packet, what fits the path's MTU
     */
    RtpOut(int ssrc, int rtxSsrc, int fecSsrc, int transportCcId, int playoutDelayId, int absCaptureTimeId,
           int mostPayload) {
        this.ssrc = ssrc;
        this.rtxSsrc = rtxSsrc;
        this.fecSsrc = fecSsrc;
        this.fecSequence = fecSsrc >>> 16;
        this.transportCcId = transportCcId;
        this.playoutDelayId = playoutDelayId;
        this.absCaptureTimeId = absCaptureTimeId;
        this.h264 = new H264RtpPacketizer(mostPayload);
        this.av1 = new Av1RtpPacketizer(mostPayload);
        this.sequence = ssrc >>> 16;
        this.rtxSequence = rtxSsrc >>> 16;
    }

    int ssrc() {
        return ssrc;
    }

    /** The SSRC of retransmissions, or 0 where the peer offered no RTX for the codec. */
    int rtxSsrc() {
        return rtxPayloadType < 0 ? 0 : rtxSsrc;
    }

    /** The stream's codec is known: its packets go with the payload types the offer gave it. */
    void use(SdpOffer.VideoCodec codec) {
        this.codec = codec;
        this.payloadType = codec.payloadType();
        this.rtxPayloadType = codec.rtxPayloadType();
    }

    /**
     * The wall-clock time, in milliseconds since 1970, at which the stream's clock read 0 (the stream's metadata says
     * it): a frame stamped {@code t} was rendered at this plus {@code t}, which its absolute capture time carries.
     */
    void streamClock(long epochMillis) {
        this.clockEpochMillis = epochMillis;
    }

    /** FEC goes in FlexFEC's payload type {@code payloadType} when the path loses some. */
    void useFlexFec(int payloadType) {
        this.fecPayloadType = payloadType;
    }

    /** The SSRC of FlexFEC's stream, or 0 where none is sent. */
    int fecSsrc() {
        return fecPayloadType < 0 ? 0 : fecSsrc;
    }

    /**
     * The share of packets the path lost lately, which sets whether FEC goes ({@link FlexFec#protects}) and how much
     * of it each frame gets ({@link FlexFec#protectionFor}). Only where FlexFEC was agreed.
     */
    void protectAgainst(double loss) {
        this.fecLoss = FlexFec.protects(loss, protecting()) ? loss : 0;
    }

    /** Whether FEC goes with the frames now. */
    boolean protecting() {
        return fecLoss > 0;
    }

    /** FEC packets made so far. */
    long fecPackets() {
        return fecPackets;
    }

    /** The share of what was sent lately that was FEC, 0 to 1: what the encoder's rate leaves room for. */
    double fecShare() {
        return fecShare;
    }

    void keys(Srtp keys) {
        this.keys = keys;
    }

    /**
     * The RTP packets of one frame, stamped {@code timestampMillis} on the stream's clock (RTP's runs at 90 kHz),
     * to go out through {@link #send}; none before DTLS gave the keys, or before the codec is known.
     *
     * @param av1SequenceHeader AV1's sequence header OBU, for a key frame without one; null for H.264
     */
    List<byte[]> frame(FlvVideoFrames.Frame frame, int timestampMillis, byte[] av1SequenceHeader) {
        if (keys == null || codec == null || !codec.name().equals(frame.codec())) {
            return List.of();
        }
        long rtpTimestamp = (timestampMillis & 0xFFFF_FFFFL) * 90;
        List<H264RtpPacketizer.Payload> payloads = frame.codec().equals("av1")
                ? av1.packetize(frame.units(), frame.keyFrame(), av1SequenceHeader)
                : h264.packetize(frame.units());
        List<byte[]> packets = new java.util.ArrayList<>(payloads.size() + 1);
        List<byte[]> media = new java.util.ArrayList<>(payloads.size());
        // The frame's packets, each FEC packet after the last of those it protects.
        int[][] protection = fecPayloadType < 0 || fecLoss == 0 ? new int[0][]
                : FlexFec.protectionFor(payloads.size(), fecLoss);
        int fecDone = 0;
        int mediaBytes = 0;
        int fecBytes = 0;
        // The render time on the frame's first packet; the receiver carries it over to the rest of the frame.
        long captureNtp = absCaptureTimeId > 0 && clockEpochMillis >= 0
                ? Rtcp.ntp(clockEpochMillis + (timestampMillis & 0xFFFF_FFFFL)) : 0;
        for (H264RtpPacketizer.Payload payload : payloads) {
            byte[] rtp = packet(payloadType, payload.marker(), sequence, rtpTimestamp, ssrc, null, payload.data(),
                    captureNtp);
            captureNtp = 0;
            kept[sequence % KEPT] = rtp;
            resentAt[sequence % KEPT] = 0;
            sequence = (sequence + 1) & 0xFFFF;
            this.packets++;
            octets += payload.data().length;
            retransmissionBudget = Math.min(MOST_RETRANSMISSION_BUDGET,
                    retransmissionBudget + (long) (rtp.length * RETRANSMISSION_SHARE));
            mediaBytes += rtp.length;
            packets.add(rtp);
            media.add(rtp);
            // Protected now, while its transport-wide number is still zero, as the receiver takes it.
            while (fecDone < protection.length && protection[fecDone][protection[fecDone].length - 1]
                    < media.size()) {
                List<byte[]> covered = new java.util.ArrayList<>(protection[fecDone].length);
                for (int index : protection[fecDone]) {
                    covered.add(media.get(index));
                }
                fecDone++;
                byte[] fec = packet(fecPayloadType, false, fecSequence, rtpTimestamp, fecSsrc, null,
                        FlexFec.protect(covered, ssrc), 0);
                fecSequence = (fecSequence + 1) & 0xFFFF;
                fecBytes += fec.length;
                fecPackets++;
                packets.add(fec);
            }
        }
        if (mediaBytes > 0) { // a frame of no NAL units is no sample
            fecShare = 0.9 * fecShare + 0.1 * fecBytes / (double) (mediaBytes + fecBytes);
        }
        lastRtpTimestamp = rtpTimestamp;
        lastSentMillis = System.currentTimeMillis();
        return packets;
    }

    /**
     * The RTP packet of RTX that resends {@code lost}, to go out through {@link #send}; null where it is no longer
     * kept, RTX was not offered, there are no keys yet, or it went less than half a round trip ago. One the peer
     * {@code asked} for (a NACK) and that cannot be resent counts as {@link #unmendable}.
     */
    byte[] retransmission(int lost, boolean asked) {
        byte[] original = kept[lost % KEPT];
        long now = System.nanoTime();
        if (rtxPayloadType < 0 || keys == null) {
            return null;
        }
        if (original == null || (ByteBuffer.wrap(original).getShort(2) & 0xFFFF) != lost
                || retransmissionBudget < original.length) {
            if (asked) {
                unmendable++;
            }
            return null;
        }
        if (resentAt[lost % KEPT] != 0 && now - resentAt[lost % KEPT] < resendEveryNanos) {
            return null; // on its way already
        }
        resentAt[lost % KEPT] = now;
        retransmissionBudget -= original.length;
        return rtx(original, lost);
    }

    /** RTX's copy of the media packet {@code original}, numbered {@code number}: the next RTX number is spent. */
    private byte[] rtx(byte[] original, int number) {
        int header = headerLength(original);
        byte[] rtx = packet(rtxPayloadType, (original[1] & 0x80) != 0, rtxSequence,
                ByteBuffer.wrap(original).getInt(4) & 0xFFFF_FFFFL, rtxSsrc,
                new byte[] {(byte) (number >> 8), (byte) number},
                java.util.Arrays.copyOfRange(original, header, original.length), 0);
        rtxSequence = (rtxSequence + 1) & 0xFFFF;
        return rtx;
    }

    /**
     * The media packets to resend unasked, of those the feedback reported lost since the last call: one never
     * resent, whose NACK was lost (the browser asks again only a round trip after it sent that NACK: in the network
     * bench at 80 ms and 5 % loss the feedback came 47 to 113 ms before that second NACK, which ended five of a
     * run's nine longest freezes, of 222 to 279 ms); and one whose retransmission was lost, every copy of it (the
     * browser's next NACK comes about as late). A packet the FEC mended is resent needlessly: the feedback does not
     * say so.
     */
    List<Integer> resendsDue() {
        List<Integer> due = new java.util.ArrayList<>(reportedLost.size());
        for (Integer carried = reportedLost.poll(); carried != null; carried = reportedLost.poll()) {
            int number = carried & 0xFFFF;
            if ((carried & RESENT) == 0 && resentAt[number % KEPT] != 0) {
                continue; // its NACK came first, and had it resent
            }
            due.add(number);
        }
        return due;
    }

    /**
     * The packets of a probe of at least {@code bytes} and {@value #LEAST_PROBE_PACKETS} packets, to go out through
     * {@link #sendProbe}: copies of the newest media packets that have left, as RTX (libwebrtc's payload padding),
     * which the receiver counts in its feedback and drops as packets it has (or, where the original was lost, takes
     * as its retransmission). Not of packets still in the pacer: a copy ahead of its original would be the packet.
     * Outside the retransmission budget: a probe goes once in seconds. Empty where RTX was not offered, before the
     * keys, or before enough media has left.
     */
    List<byte[]> probePackets(long bytes) {
        if (rtxPayloadType < 0 || keys == null || newestMediaSent < 0) {
            return List.of();
        }
        List<byte[]> originals = new java.util.ArrayList<>();
        long total = 0;
        for (int back = 0; back < KEPT - 1 && (total < bytes || originals.size() < LEAST_PROBE_PACKETS); back++) {
            int number = (newestMediaSent - back) & 0xFFFF;
            byte[] original = kept[number % KEPT];
            if (original == null || (ByteBuffer.wrap(original).getShort(2) & 0xFFFF) != number) {
                break;
            }
            if (original.length - headerLength(original) < 400) {
                continue; // a frame's short last packet: a probe of few bytes a packet says little of the rate
            }
            originals.add(original);
            total += original.length + 2;
        }
        if (originals.size() < LEAST_PROBE_PACKETS) {
            return List.of(); // no RTX numbers spent on a probe that does not go
        }
        List<byte[]> probe = new java.util.ArrayList<>(originals.size());
        for (byte[] original : originals) {
            probe.add(rtx(original, ByteBuffer.wrap(original).getShort(2) & 0xFFFF));
        }
        return probe;
    }

    /** {@link #send}, for a probe's packet: its fate is the probe's, and a loss of it is not resent. */
    byte[] sendProbe(byte[] rtp, long nanos) {
        byte[] srtp = send(rtp, nanos);
        if (transportCcId > 0 && (rtp[0] & 0x10) != 0) {
            transportCarried[(int) ((transportSequence - 1) % TRANSPORT_KEPT)] = PROBE;
        }
        return srtp;
    }

    /**
     * Takes {@code bytes} from the retransmission budget for a second copy of a retransmission: whether the budget
     * had them (else no copy goes).
     */
    boolean budgetsACopy(int bytes) {
        if (retransmissionBudget < bytes) {
            return false;
        }
        retransmissionBudget -= bytes;
        return true;
    }

    /**
     * The path's round trip as last measured: a packet may be resent again after half of it, and unasked if it left
     * within twice it and 100 ms of the newest.
     */
    void roundTrip(double millis) {
        if (millis > 0) {
            resendEveryNanos = Math.max(LEAST_RESEND_NANOS, Math.min(MOST_RESEND_NANOS, (long) (millis * 500_000)));
            resendUnaskedWithinNanos = (long) (millis * 2_000_000) + 100_000_000L;
        }
    }

    /** How many NACKed packets could not be resent so far: no longer kept, or beyond the budget. */
    long unmendable() {
        return unmendable;
    }

    /**
     * An RTP packet with this viewer's header extensions, its payload after {@code prefix} if any; with the absolute
     * capture time {@code captureNtp} unless it is 0.
     */
    private byte[] packet(int type, boolean marker, int number, long rtpTimestamp, int source, byte[] prefix,
                          byte[] payload, long captureNtp) {
        int extensions = (transportCcId > 0 ? 3 : 0) + (playoutDelayId > 0 ? 4 : 0) + (captureNtp != 0 ? 9 : 0);
        int extensionWords = (extensions + 3) / 4;
        int prefixLength = prefix == null ? 0 : prefix.length;
        ByteBuffer rtp = ByteBuffer.allocate(RTP_HEADER + (extensions > 0 ? 4 + 4 * extensionWords : 0)
                + prefixLength + payload.length);
        rtp.put((byte) (extensions > 0 ? 0x90 : 0x80)).put((byte) ((marker ? 0x80 : 0) | type)).putShort((short) number)
                .putInt((int) rtpTimestamp).putInt(source);
        if (extensions > 0) {
            // RFC 8285's one-byte form: each element an id and length-1 nibble, then its bytes; padded with zeros.
            rtp.putShort((short) 0xBEDE).putShort((short) extensionWords);
            int start = rtp.position();
            if (transportCcId > 0) {
                rtp.put((byte) (transportCcId << 4 | 1)).putShort((short) 0); // numbered as it leaves: send()
            }
            if (playoutDelayId > 0) {
                // Minimum and maximum delay, 12 bits each in 10 ms units: 0 and MOST_PLAYOUT_DELAY.
                rtp.put((byte) (playoutDelayId << 4 | 2)).put((byte) 0).put((byte) 0).put((byte) MOST_PLAYOUT_DELAY);
            }
            if (captureNtp != 0) {
                // Its short form: the 64-bit NTP time alone, no clock offset (this server is the capturer).
                rtp.put((byte) (absCaptureTimeId << 4 | 7)).putLong(captureNtp);
            }
            rtp.position(start + 4 * extensionWords);
        }
        if (prefix != null) {
            rtp.put(prefix);
        }
        rtp.put(payload);
        return rtp.array();
    }

    /** What an RTP packet about to be numbered carries, for {@link #transportCarried}. */
    private int carried(byte[] rtp) {
        ByteBuffer header = ByteBuffer.wrap(rtp);
        int source = header.getInt(8);
        if (source == ssrc) {
            return header.getShort(2) & 0xFFFF;
        }
        if (source == rtxSsrc && rtxSsrc != 0) {
            return RESENT | (header.getShort(headerLength(rtp)) & 0xFFFF); // RTX's payload opens with the number
        }
        return NO_MEDIA;
    }

    /** The header's length: twelve bytes, the CSRCs and the extension block. */
    private static int headerLength(byte[] rtp) {
        int length = RTP_HEADER + 4 * (rtp[0] & 0x0F);
        if ((rtp[0] & 0x10) != 0) {
            length += 4 + 4 * (ByteBuffer.wrap(rtp).getShort(length + 2) & 0xFFFF);
        }
        return length;
    }

    /**
     * The packet leaves now: it takes the next transport-wide number (as libwebrtc numbers them, at the pacer's
     * exit, so that a retransmission sent at once does not overtake packets still waiting, which the receiver would
     * report missing), its size and send time are kept for the feedback, and it is protected. Returns the SRTP
     * packet.
     */
    byte[] send(byte[] rtp, long nanos) {
        boolean numbered = transportCcId > 0 && (rtp[0] & 0x10) != 0;
        long number = numbered ? transportSequence++ : -1;
        int slot = (int) (number % TRANSPORT_KEPT);
        if (numbered) {
            ByteBuffer.wrap(rtp).putShort(RTP_HEADER + 5, (short) number);
            if (number - TRANSPORT_KEPT > accountedThrough) {
                // The packet whose place this takes was never reported on: lost, or it would stay on the way.
                bytesLost += transportSizes[slot];
                accountedThrough = number - TRANSPORT_KEPT;
            }
        }
        byte[] srtp = keys.protect(rtp, headerLength(rtp));
        bytesSent += srtp.length;
        if (ByteBuffer.wrap(rtp).getInt(8) == ssrc) {
            newestMediaSent = ByteBuffer.wrap(rtp).getShort(2) & 0xFFFF;
        }
        if (numbered) {
            transportSizes[slot] = srtp.length;
            transportSent[slot] = nanos;
            transportCarried[slot] = carried(rtp);
        }
        return srtp;
    }

    /** When a report last told the fate of a packet not told before; 0: never. */
    long lastReportNanos() {
        return lastReportNanos;
    }

    /** Bytes of media sent, under SRTP. */
    long bytesSent() {
        return bytesSent;
    }

    /** Bytes of media the receiver reported lost (transport-wide feedback). */
    long bytesLost() {
        return bytesLost;
    }

    /**
     * Bytes of media the receiver reported received (transport-wide feedback), or -1 before any report or without
     * the feedback.
     */
    long acknowledged() {
        return acknowledged;
    }

    /**
     * Transport-wide feedback: of the packets numbered from its base (16 bits), which arrived and when. Each packet's
     * fate is counted once, in order: a report of numbers counted already changes nothing. Returns the fates newly
     * learnt of the packets that had left, for the congestion controller.
     */
    List<CongestionController.Fate> reported(Rtcp.Feedback.Reported report) {
        boolean[] received = report.received();
        if (received.length == 0 || transportSequence == 0) {
            return List.of();
        }
        List<CongestionController.Fate> fates = new java.util.ArrayList<>(received.length);
        long newestSent = transportSent[(int) ((transportSequence - 1) % TRANSPORT_KEPT)];
        // Unwrapped against the newest number sent: feedback never reports a packet not yet sent.
        long back = ((transportSequence - 1) - report.base()) & 0xFFFF;
        long first = transportSequence - 1 - back;
        for (int i = 0; i < received.length; i++) {
            long number = first + i;
            if (number <= accountedThrough || number >= transportSequence || transportSequence - number
                    >= TRANSPORT_KEPT) {
                continue;
            }
            if (number > accountedThrough + 1) {
                // Numbers never reported between: taken as lost, as the receiver would have said otherwise. Only
                // those still remembered: sizes older than the ring are gone.
                for (long skipped = Math.max(accountedThrough + 1, transportSequence - TRANSPORT_KEPT);
                     skipped < number; skipped++) {
                    bytesLost += transportSizes[(int) (skipped % TRANSPORT_KEPT)];
                }
            }
            int slot = (int) (number % TRANSPORT_KEPT);
            int size = transportSizes[slot];
            if (received[i]) {
                acknowledged = Math.max(0, acknowledged) + size;
            } else {
                bytesLost += size;
                if (transportCarried[slot] >= 0 && reportedLost.size() < MOST_REPORTED_LOST
                        && newestSent - transportSent[slot] <= resendUnaskedWithinNanos) {
                    reportedLost.add(transportCarried[slot]);
                }
            }
            fates.add(new CongestionController.Fate(transportSent[slot], received[i] ? report.arrivalMicros()[i] : -1,
                    size, transportCarried[slot] == PROBE));
            accountedThrough = number;
            lastReportNanos = System.nanoTime();
        }
        return fates;
    }

    /** A sender report for now, or null before the first frame. */
    byte[] senderReport() {
        if (lastRtpTimestamp < 0 || keys == null) {
            return null;
        }
        long now = System.currentTimeMillis();
        byte[] report = Rtcp.senderReport(ssrc, now, lastRtpTimestamp + (now - lastSentMillis) * 90, packets, octets);
        return keys.protectRtcp(report);
    }
}
