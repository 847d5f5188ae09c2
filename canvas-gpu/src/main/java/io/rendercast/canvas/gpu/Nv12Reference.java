package io.rendercast.canvas.gpu;

import io.rendercast.video.RgbaCanvas;

/**
 * The reference RGBA to NV12 conversion on the CPU: BT.601, limited range, integer arithmetic, chroma the
 * rounded mean of each 2x2 block. The CUDA kernels in {@code native/rgba_to_nv12.cu} compute the same formulas
 * (their I420 one only lays the chroma out in two planes), and the GPU check compares NV12 with this.
 *
 * <p>Output rows run top-down, as encoders take them; the canvas's run bottom-up.
 */
public final class Nv12Reference {

    private Nv12Reference() {
    }

    static int luma(int r, int g, int b) {
        return ((66 * r + 129 * g + 25 * b + 128) >> 8) + 16;
    }

    static int chromaU(int r, int g, int b) {
        return ((-38 * r - 74 * g + 112 * b + 128) >> 8) + 128;
    }

    static int chromaV(int r, int g, int b) {
        return ((112 * r - 94 * g - 18 * b + 128) >> 8) + 128;
    }

    /** NV12: the Y plane, then U and V interleaved at half resolution. Width and height must be even. */
    public static byte[] toNv12(RgbaCanvas canvas) {
        int width = canvas.resolutionX();
        int height = canvas.resolutionY();
        if (width % 2 != 0 || height % 2 != 0) {
            throw new IllegalArgumentException("4:2:0 needs an even size, got " + width + "x" + height);
        }
        byte[] rgba = new byte[width * height * 4];
        canvas.data().get(0, rgba);
        byte[] out = new byte[width * height * 3 / 2];
        for (int y = 0; y < height; y++) {
            int source = (height - 1 - y) * width * 4;
            for (int x = 0; x < width; x++) {
                int i = source + x * 4;
                out[y * width + x] = (byte) luma(rgba[i] & 0xFF, rgba[i + 1] & 0xFF, rgba[i + 2] & 0xFF);
            }
        }
        for (int cy = 0; cy < height / 2; cy++) {
            for (int cx = 0; cx < width / 2; cx++) {
                int r = 0;
                int g = 0;
                int b = 0;
                for (int dy = 0; dy < 2; dy++) {
                    int row = height - 1 - (2 * cy + dy);
                    for (int dx = 0; dx < 2; dx++) {
                        int i = (row * width + 2 * cx + dx) * 4;
                        r += rgba[i] & 0xFF;
                        g += rgba[i + 1] & 0xFF;
                        b += rgba[i + 2] & 0xFF;
                    }
                }
                r = (r + 2) >> 2;
                g = (g + 2) >> 2;
                b = (b + 2) >> 2;
                int base = width * height;
                out[base + cy * width + 2 * cx] = (byte) chromaU(r, g, b);
                out[base + cy * width + 2 * cx + 1] = (byte) chromaV(r, g, b);
            }
        }
        return out;
    }
}
