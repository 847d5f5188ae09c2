package io.rendercast.video;

/**
 * A one-layer canvas of 8-bit RGBA pixels in host memory; also its own single tile.
 *
 * <p>Not thread-safe: a render handler and a frame handler that share one must synchronise.
 */
public final class RgbaCanvas implements Canvas, Tile {

    private final int width;
    private final int height;
    private final byte[] pixels;

    /** A canvas of {@code width} x {@code height} transparent black pixels. */
    public RgbaCanvas(int width, int height) {
        if (width <= 0 || height <= 0 || (long) width * height * 4 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("canvas size must be positive and fit in one array, got "
                    + width + "x" + height);
        }
        this.width = width;
        this.height = height;
        this.pixels = new byte[width * height * 4];
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
        return (pixels[i] & 0xFF) << 24 | (pixels[i + 1] & 0xFF) << 16 | (pixels[i + 2] & 0xFF) << 8
                | (pixels[i + 3] & 0xFF);
    }

    @Override
    public void setPixel(int x, int y, int rgba) {
        int i = offset(x, y);
        pixels[i] = (byte) (rgba >>> 24);
        pixels[i + 1] = (byte) (rgba >>> 16);
        pixels[i + 2] = (byte) (rgba >>> 8);
        pixels[i + 3] = (byte) rgba;
    }

    @Override
    public byte[] data() {
        return pixels;
    }

    /** Copies another canvas of the same size into this one. */
    public void copyFrom(RgbaCanvas other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("cannot copy a " + other.width + "x" + other.height
                    + " canvas into a " + width + "x" + height + " one");
        }
        System.arraycopy(other.pixels, 0, pixels, 0, pixels.length);
    }

    private int offset(int x, int y) {
        if (x < 0 || x >= width || y < 0 || y >= height) {
            throw new IndexOutOfBoundsException("pixel (" + x + ", " + y + ") is outside " + width + "x" + height);
        }
        return (y * width + x) * 4;
    }
}
