package io.rendercast.rtmp.server.webrtc;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The RTCP a WebRTC sender writes (a sender report) and the feedback it reads (RFC 3550, RFC 4585, RFC 5104, and
 * draft-holmer-rmcat-transport-wide-cc-extensions-01's transport-wide feedback).
 */
final class Rtcp {

    private static final int SENDER_REPORT = 200;
    private static final int TRANSPORT_FEEDBACK = 205;
    private static final int PAYLOAD_FEEDBACK = 206;
    private static final int GENERIC_NACK = 1;
    private static final int PLI = 1;
    private static final int FIR = 4;
    private static final int TRANSPORT_WIDE = 15;
    /** The most statuses one transport-wide feedback may carry: a receiver reports every 50 to 100 ms. */
    static final int MOST_STATUSES = 4096;
    /** Seconds from 1900, where NTP's clock starts, to 1970, where Java's does. */
    private static final long NTP_EPOCH_OFFSET = 2_208_988_800L;

    /** What the receiver asks of the sender. */
    sealed interface Feedback {
        /** PLI or FIR: its decoder cannot go on without a key frame. */
        record KeyFrameWanted() implements Feedback {
        }

        /** A generic NACK: these sequence numbers did not arrive. */
        record Lost(List<Integer> sequences) implements Feedback {
        }

        /**
         * Transport-wide congestion control's feedback: the receiver says, for the transport-wide sequence numbers
         * from {@code base}, which arrived ({@code received}, one per number) and when ({@code arrivalMicros}, on
         * the receiver's clock in microseconds, at a resolution of 250; -1 for those that did not arrive).
         */
        record Reported(int base, boolean[] received, long[] arrivalMicros) implements Feedback {
        }
    }

    private Rtcp() {
    }

    /**
     * The feedback in a compound RTCP packet; reports and what the sender does not act on are passed over.
     *
     * @throws IllegalArgumentException for a packet whose lengths run past it
     */
    static List<Feedback> read(byte[] compound) {
        List<Feedback> found = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(compound);
        while (in.remaining() >= 4) {
            int at = in.position();
            int first = in.get() & 0xFF;
            int type = in.get() & 0xFF;
            int length = 4 * ((in.getShort() & 0xFFFF) + 1);
            if ((first >> 6) != 2 || length > compound.length - at) {
                throw new IllegalArgumentException("an RTCP packet of version " + (first >> 6) + " and " + length
                        + " bytes where " + (compound.length - at) + " are left");
            }
            int format = first & 0x1F;
            if (type == PAYLOAD_FEEDBACK && (format == PLI || format == FIR)) {
                found.add(new Feedback.KeyFrameWanted());
            } else if (type == TRANSPORT_FEEDBACK && format == GENERIC_NACK && length >= 16) {
                List<Integer> lost = new ArrayList<>();
                for (int item = at + 12; item + 4 <= at + length; item += 4) {
                    int pid = in.getShort(item) & 0xFFFF;
                    int bitmask = in.getShort(item + 2) & 0xFFFF;
                    lost.add(pid);
                    for (int bit = 0; bit < 16; bit++) {
                        if ((bitmask & (1 << bit)) != 0) {
                            lost.add((pid + bit + 1) & 0xFFFF);
                        }
                    }
                }
                found.add(new Feedback.Lost(List.copyOf(lost)));
            } else if (type == TRANSPORT_FEEDBACK && format == TRANSPORT_WIDE && length >= 20) {
                found.add(transportWide(in, at, length));
            }
            in.position(at + length);
        }
        return found;
    }

    /**
     * A transport-wide feedback packet: after its 20 bytes of header (the reference time, 24 bits in 64 ms units, at
     * offset 16), chunks of two bytes until every number is covered, each a run of one status or a vector of 14
     * one-bit or 7 two-bit statuses (0: not received; 1 and 2: received, with a small or a large delta); then, for
     * each packet received, its arrival as a delta from the one before (the first from the reference time), in
     * units of 250 microseconds: one unsigned byte for a small delta, two signed for a large one.
     */
    private static Feedback.Reported transportWide(ByteBuffer in, int at, int length) {
        int base = in.getShort(at + 12) & 0xFFFF;
        int count = in.getShort(at + 14) & 0xFFFF;
        if (count > MOST_STATUSES) {
            // A few dozen bytes could otherwise ask the port's one reading thread for 65,535 statuses.
            throw new IllegalArgumentException("transport-wide feedback on " + count + " packets; at most "
                    + MOST_STATUSES + " are read");
        }
        long referenceMicros = (in.getInt(at + 16) >>> 8) * 64_000L;
        byte[] statuses = new byte[count];
        int filled = 0;
        int chunk = at + 20;
        for (; filled < count; chunk += 2) {
            if (chunk + 2 > at + length) {
                throw new IllegalArgumentException("transport-wide feedback whose chunks end before its "
                        + count + " statuses");
            }
            int c = in.getShort(chunk) & 0xFFFF;
            if ((c & 0x8000) == 0) {
                byte status = (byte) ((c >> 13) & 3);
                for (int run = c & 0x1FFF; run > 0 && filled < count; run--) {
                    statuses[filled++] = status;
                }
            } else if ((c & 0x4000) == 0) {
                for (int bit = 13; bit >= 0 && filled < count; bit--) {
                    statuses[filled++] = (byte) ((c >> bit) & 1);
                }
            } else {
                for (int pair = 6; pair >= 0 && filled < count; pair--) {
                    statuses[filled++] = (byte) ((c >> (2 * pair)) & 3);
                }
            }
        }
        boolean[] received = new boolean[count];
        long[] arrivalMicros = new long[count];
        long arrival = referenceMicros;
        int delta = chunk;
        for (int i = 0; i < count; i++) {
            int status = statuses[i];
            if (status == 0) {
                arrivalMicros[i] = -1;
                continue;
            }
            if (status == 3 || delta + status > at + length) {
                throw new IllegalArgumentException(status == 3 ? "transport-wide feedback with the reserved status 3"
                        : "transport-wide feedback whose receive deltas end before its " + count + " statuses");
            }
            arrival += 250L * (status == 1 ? in.get(delta) & 0xFF : in.getShort(delta));
            delta += status;
            received[i] = true;
            arrivalMicros[i] = arrival;
        }
        return new Feedback.Reported(base, received, arrivalMicros);
    }

    /** A sender report with no report blocks: the wall clock at {@code epochMillis} is {@code rtpTimestamp}. */
    static byte[] senderReport(int ssrc, long epochMillis, long rtpTimestamp, long packets, long octets) {
        return ByteBuffer.allocate(28).put((byte) 0x80).put((byte) SENDER_REPORT).putShort((short) 6)
                .putInt(ssrc).putLong(ntp(epochMillis)).putInt((int) rtpTimestamp)
                .putInt((int) packets).putInt((int) octets).array();
    }

    /** The wall clock at {@code epochMillis} as NTP has it: seconds since 1900 and their fraction, 32 bits each. */
    static long ntp(long epochMillis) {
        long seconds = epochMillis / 1000 + NTP_EPOCH_OFFSET;
        long fraction = ((epochMillis % 1000) << 32) / 1000;
        return seconds << 32 | fraction;
    }
}
