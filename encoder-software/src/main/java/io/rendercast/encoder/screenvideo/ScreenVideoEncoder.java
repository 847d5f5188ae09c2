package io.rendercast.encoder.screenvideo;

import io.rendercast.video.Canvas;
import io.rendercast.video.support.EncoderChecks;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import io.rendercast.video.VideoEncoderException.Reason;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

/**
 * Screen Video (FLV codec 3, the SWF specification's SCREENVIDEOPACKET), lossless.
 *
 * <p>A frame is a header (block and image sizes, 4 + 12 bits each) and the blocks from the bottom left to the
 * top right, each its BGR rows from the bottom up, zlib-compressed behind a 16-bit size. An inter frame sends an
 * unchanged block as size 0. Canvas rows already run bottom-up, so blocks are read in the order they are sent.
 */
final class ScreenVideoEncoder implements VideoEncoder {

    static final int BLOCK = 64;
    static final int MAX_DIMENSION = 4095;

    private final Map<String, String> parameters = new LinkedHashMap<>();
    private final Deflater deflater = new Deflater(Deflater.BEST_SPEED);
    private final ByteArrayOutputStream frame = new ByteArrayOutputStream();
    private volatile boolean keyFrameRequested;
    private int width;
    private int height;
    private byte[][] previousBlocks;
    private byte[] block;
    private byte[] compressed;
    private long framesSinceKey;
    private boolean initialized;

    ScreenVideoEncoder() {
        parameters.put(FRAMERATE, "30");
        parameters.put(KEYFRAME_INTERVAL, "2");
    }

    @Override
    public String identifier() {
        return "screen video";
    }

    @Override
    public synchronized VideoData init(int width, int height) throws VideoEncoderException {
        if (initialized) {
            throw new VideoEncoderException(Reason.ALREADY_INITIALIZED, "screen video encoder is already initialised at "
                    + this.width + "x" + this.height);
        }
        EncoderChecks.resolution("Screen Video (12-bit sizes)", width, height, MAX_DIMENSION, false);
        this.width = width;
        this.height = height;
        int blocks = ((width + BLOCK - 1) / BLOCK) * ((height + BLOCK - 1) / BLOCK);
        previousBlocks = new byte[blocks][];
        block = new byte[BLOCK * BLOCK * 3];
        compressed = new byte[block.length + block.length / 100 + 64];
        keyFrameRequested = true;
        initialized = true;
        return VideoData.EMPTY;
    }

    @Override
    public synchronized boolean isInitialized() {
        return initialized;
    }

    @Override
    public synchronized void setParameter(String name, String value) throws VideoEncoderException {
        if (FRAMERATE.equals(name)) {
            EncoderChecks.positiveNumber(name, value, 240);
        } else if (KEYFRAME_INTERVAL.equals(name)) {
            EncoderChecks.keyFrameFrames(value, 30);
        } else {
            throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "unknown parameter '" + name
                    + "'; Screen Video is lossless and takes framerate and keyframe-interval only");
        }
        parameters.put(name, value);
    }

    @Override
    public synchronized String getParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public List<String> supportedTypes() {
        return List.of(Canvas.RGBA);
    }

    @Override
    public synchronized VideoData encode(Canvas canvas) throws VideoEncoderException {
        if (!initialized) {
            throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "encode called before init");
        }
        if (!Canvas.RGBA.equals(canvas.type()) || canvas.resolutionX() != width || canvas.resolutionY() != height) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_CANVAS, "screen video encoder takes " + width + "x"
                    + height + " " + Canvas.RGBA + " canvases, got " + canvas.resolutionX() + "x"
                    + canvas.resolutionY() + " " + canvas.type());
        }
        long keyInterval = EncoderChecks.keyFrameFrames(parameters.get(KEYFRAME_INTERVAL),
                Double.parseDouble(parameters.get(FRAMERATE)));
        boolean key = keyFrameRequested || (keyInterval > 0 && framesSinceKey >= keyInterval);
        keyFrameRequested = false;
        framesSinceKey = key ? 1 : framesSinceKey + 1;

        ByteBuffer rgba = canvas.tile(0).data();
        frame.reset();
        writeShort((BLOCK / 16 - 1) << 12 | width);
        writeShort((BLOCK / 16 - 1) << 12 | height);
        int index = 0;
        for (int y0 = 0; y0 < height; y0 += BLOCK) {
            for (int x0 = 0; x0 < width; x0 += BLOCK, index++) {
                int size = readBlock(rgba, x0, y0);
                byte[] previous = previousBlocks[index];
                if (!key && previous != null && Arrays.equals(previous, 0, size, block, 0, size)) {
                    writeShort(0);
                    continue;
                }
                if (previous == null || previous.length != size) {
                    previous = new byte[size];
                    previousBlocks[index] = previous;
                }
                System.arraycopy(block, 0, previous, 0, size);
                deflater.reset();
                deflater.setInput(block, 0, size);
                deflater.finish();
                int length = deflater.deflate(compressed);
                if (!deflater.finished() || length > 0xFFFF) {
                    throw new VideoEncoderException(Reason.LIBRARY_FAILURE, "zlib did not compress a block into "
                            + compressed.length + " bytes");
                }
                writeShort(length);
                frame.write(compressed, 0, length);
            }
        }
        return new VideoData(ByteBuffer.wrap(frame.toByteArray()), key);
    }

    /** Copies the block at (x0, y0) as BGR rows, bottom row first; returns its size in bytes. */
    private int readBlock(ByteBuffer rgba, int x0, int y0) {
        int blockWidth = Math.min(BLOCK, width - x0);
        int blockHeight = Math.min(BLOCK, height - y0);
        int out = 0;
        for (int row = 0; row < blockHeight; row++) {
            int in = ((y0 + row) * width + x0) * 4;
            for (int col = 0; col < blockWidth; col++, in += 4) {
                block[out++] = rgba.get(in + 2);
                block[out++] = rgba.get(in + 1);
                block[out++] = rgba.get(in);
            }
        }
        return out;
    }

    private void writeShort(int value) {
        frame.write(value >>> 8);
        frame.write(value);
    }

    @Override
    public void requestKeyFrame() {
        keyFrameRequested = true;
    }

    @Override
    public synchronized VideoData close() {
        if (initialized) {
            initialized = false;
            deflater.end();
        }
        return VideoData.EMPTY;
    }
}
