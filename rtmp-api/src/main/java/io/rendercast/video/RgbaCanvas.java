package io.rendercast.video;

import java.nio.ByteBuffer;

/**
 * A one-layer canvas of 8-bit RGBA pixels in host memory (a direct buffer, outside the Java heap, so that
 * encoders read it without a copy); also its own single tile.
 *
 * <p>Not thread-safe: a render handler and a frame handler that share one must synchronise. The canvases of a
 * stream in managed mode ({@code Stream.registerCanvasRenderHandler}) are handed between the threads by the server,
 * and need no lock.
 */
public final class RgbaCanvas implements Canvas, Tile {

    private final int width;
    private final int height;
    private final ByteBuffer pixels;

    /** A canvas of {@code width} x {@code height} transparent black pixels. */
    public RgbaCanvas(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height * 4 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("canvas size must be positive and fit in one array, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = ByteBuffer.allocateDirect(width * height * 4);
    }

    @Override
    public int resolutionX() {
        return width;
    }

    @Override
    public int resolutionY() {
        return height;
    }

    @Override
    public String type() {
        return RGBA;
    }

    @Override
    public int layers() {
        return 1;
    }

    @Override
    public float gamma() {
        return 2.2f;
    }

    @Override
    public Tile tile(int layer) {
        if (layer != 0) {
            throw new IndexOutOfBoundsException("an RgbaCanvas has one layer, asked for layer " + layer);
        }
        return this;
    }

    @Override
    public int pixel(int x, int y) {
        int i = offset(x, y);
        return pixels.getInt(i);
    }

    @Override
    public void setPixel(int x, int y, int rgba) {
        int i = offset(x, y);
        pixels.putInt(i, rgba);
    }

    @Override
    public ByteBuffer data() {
        return pixels;
    }

    private int offset(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside " + width + "x" + height);
        }
        return (y * width + x) * 4;
    }
}
