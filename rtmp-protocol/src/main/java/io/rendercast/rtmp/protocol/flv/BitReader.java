package io.rendercast.rtmp.protocol.flv;

/** Reads bits most significant first, and Exp-Golomb codes, from a byte array; for parameter-set headers. */
final class BitReader {

    private final byte[] data;
    private long bit;

    BitReader(byte[] data) {
        this.data = data;
    }

    int bits(int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            int at = (int) (bit >>> 3);
            if (at >= data.length) {
                throw new IllegalArgumentException("header ends early, at bit " + bit);
            }
            value = value << 1 | ((data[at] >> (7 - (bit & 7))) & 1);
            bit++;
        }
        return (int) value;
    }

    long bitsLong(int count) {
        long value = 0;
        for (int i = 0; i < count; i++) {
            value = value << 1 | bits(1);
        }
        return value;
    }

    boolean flag() {
        return bits(1) == 1;
    }

    void skip(int count) {
        bit += count;
    }

    /** An unsigned Exp-Golomb code, ue(v). */
    int ue() {
        int zeros = 0;
        while (bits(1) == 0) {
            if (++zeros > 31) {
                throw new IllegalArgumentException("Exp-Golomb code longer than 32 bits");
            }
        }
        return (int) ((1L << zeros) - 1 + (zeros == 0 ? 0 : bitsLong(zeros)));
    }

    /** AV1's uvlc(). */
    long uvlc() {
        int zeros = 0;
        while (bits(1) == 0) {
            if (++zeros >= 32) {
                return (1L << 32) - 1;
            }
        }
        return (1L << zeros) - 1 + bitsLong(zeros);
    }
}
