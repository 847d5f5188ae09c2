package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.CanvasRenderHandler;

/** A stream's managed mode, as registered: the canvases' size and the handler that draws into them. */
public record CanvasRendering(int width, int height, CanvasRenderHandler handler) {

    public CanvasRendering {
        if (width <= 0 || height <= 0 || (long) width * height * 4 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("managed canvases must have a positive size that fits in one "
                    + "buffer, got " + width + "x" + height);
        }
    }
}
