package io.rendercast.video;

/**
 * A picture made of layers of pixels, each layer one {@link Tile}.
 *
 * <p>Rows are counted from the bottom, as OpenGL counts them.
 */
public interface Canvas {

    /** Pixel type name of the canvas {@code "Rgba"}: 8 bits each of red, green, blue and alpha. */
    String RGBA = "Rgba";

    int resolutionX();

    int resolutionY();

    /** The pixel type name, such as {@link #RGBA}. */
    String type();

    /** The number of layers; at least 1. */
    int layers();

    /** The gamma the pixels are encoded with (2.2 for sRGB-like 8-bit pixels). */
    float gamma();

    /**
     * One layer's pixels.
     *
     * @throws IndexOutOfBoundsException when {@code layer} is not in {@code [0, layers())}
     */
    Tile tile(int layer);
}
