package io.rendercast.video;

import java.nio.ByteBuffer;

/**
 * A rectangle of pixels in host memory.
 *
 * <p>x and y are counted from the lower left corner; {@link #data()} holds the rows one after the other,
 * the first row at the bottom.
 */
public interface Tile {

    int resolutionX();

    int resolutionY();

    /** The pixel type name, as {@link Canvas#type()}. */
    String type();

    /** The pixel at (x, y) packed as {@code 0xRRGGBBAA}. */
    int pixel(int x, int y);

    /** Sets the pixel at (x, y) from {@code 0xRRGGBBAA}. */
    void setPixel(int x, int y, int rgba);

    /**
     * The pixel bytes themselves (not a copy), row-major, the first row at the bottom, from index 0. A direct
     * buffer, so that an encoder or a GPU upload reads them where they are; use absolute gets and puts, since
     * the buffer's position is shared.
     */
    ByteBuffer data();
}
