package io.rendercast.rtmp.protocol.flv;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Splits an H.264 Annex B byte stream (NAL units behind 00 00 01 or 00 00 00 01 start codes). */
public final class AnnexB {

    /** NAL unit types this package cares about. */
    public static final int NAL_IDR = 5;
    public static final int NAL_SPS = 7;
    public static final int NAL_PPS = 8;
    public static final int NAL_AUD = 9;

    private AnnexB() {
    }

    /** A NAL unit's place in its array: {@code [offset, offset + length)}. */
    public record Nal(int offset, int length, int type) {
    }

    /** The NAL units of {@code data}, start codes removed; bytes before the first start code are ignored. */
    public static List<Nal> split(byte[] data) {
        List<Nal> nals = new ArrayList<>();
        int start = -1;
        int i = 0;
        int n = data.length;
        while (i + 2 < n) {
            if (data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1) {
                if (start >= 0) {
                    addNal(nals, data, start, trimZeros(data, start, i));
                }
                i += 3;
                start = i;
            } else {
                i++;
            }
        }
        if (start >= 0 && start < n) {
            addNal(nals, data, start, n);
        }
        return nals;
    }

    /**
     * The index just after the first start code at or after {@code from} and before {@code end}, or -1 when
     * there is none. Reads {@code data} with absolute gets only.
     */
    public static int nextNalStart(ByteBuffer data, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if ((data.get(i + 2) & 0xFF) > 1) {
                i += 2; // no start code can end at i + 2, nor begin before it
            } else if (data.get(i) == 0 && data.get(i + 1) == 0 && data.get(i + 2) == 1) {
                return i + 3;
            }
        }
        return -1;
    }

    /** The end of the NAL unit at {@code start} that the start code ending at {@code nextStart} closes. */
    public static int nalEnd(ByteBuffer data, int start, int nextStart, int end) {
        int nalEnd = nextStart < 0 ? end : nextStart - 3;
        while (nalEnd > start && data.get(nalEnd - 1) == 0) {
            nalEnd--;
        }
        return nalEnd;
    }

    /** Drops the zero bytes before a start code, which belong to the 4-byte start code or are padding. */
    private static int trimZeros(byte[] data, int start, int end) {
        while (end > start && data[end - 1] == 0) {
            end--;
        }
        return end;
    }

    private static void addNal(List<Nal> nals, byte[] data, int start, int end) {
        if (end > start) {
            nals.add(new Nal(start, end - start, data[start] & 0x1F));
        }
    }
}
