package io.rendercast.rtmp.server.webrtc;

/**
 * SRTP's packet index for each SSRC a sender sends (RFC 3711 3.3.1): the rollover counter, counted up as the 16-bit
 * sequence number wraps, above the sequence number. A video stream and its RTX stream count apart.
 */
final class Rollovers {

    /** Each SSRC's rollover counter and last sequence number. */
    private final java.util.Map<Integer, long[]> bySsrc = new java.util.HashMap<>();

    /** The rollover counter of the packet {@code sequence} of {@code ssrc}, sent now. */
    int next(int ssrc, int sequence) {
        long[] rollover = bySsrc.computeIfAbsent(ssrc, s -> new long[] {0, sequence});
        if (sequence < rollover[1] && rollover[1] - sequence > 0x8000) {
            rollover[0]++; // the sequence number wrapped
        }
        rollover[1] = sequence;
        return (int) rollover[0];
    }
}
