package io.rendercast.canvas.gpu;

import static org.lwjgl.opengl.GL33C.*;

import io.rendercast.video.RgbaCanvas;
import java.nio.ByteBuffer;

/**
 * Reads frames back to the host through a ring of pixel buffer objects, so that the render loop never waits for
 * the GPU: {@link #submit} starts an asynchronous read of the frame just rendered, and {@link #poll} copies out
 * the oldest one whose read has finished, one or two frames later.
 *
 * <p>OpenGL's rows start at the bottom, as the API's canvases do, so the bytes go into the canvas as they are:
 * the one conversion left is the encoder's.
 */
final class PboReadback implements AutoCloseable {

    private final int width;
    private final int height;
    private final int[] buffers;
    private final long[] fences;
    private final long[] frameNumbers;
    private int next;
    private int pending;

    PboReadback(int width, int height, int ringSize) {
        this.width = width;
        this.height = height;
        buffers = new int[ringSize];
        fences = new long[ringSize];
        frameNumbers = new long[ringSize];
        glGenBuffers(buffers);
        for (int buffer : buffers) {
            glBindBuffer(GL_PIXEL_PACK_BUFFER, buffer);
            glBufferData(GL_PIXEL_PACK_BUFFER, (long) width * height * 4, GL_STREAM_READ);
        }
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
    }

    /** Whether every buffer holds a read not yet polled: the next submit must wait for a poll. */
    boolean full() {
        return pending == buffers.length;
    }

    /** Starts reading the bound framebuffer into the next buffer; the ring must not be full. */
    void submit(long frameNumber) {
        if (full()) {
            throw new IllegalStateException("pixel buffer ring full: poll before submitting frame " + frameNumber);
        }
        glBindBuffer(GL_PIXEL_PACK_BUFFER, buffers[next]);
        glReadPixels(0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, 0L);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        fences[next] = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
        frameNumbers[next] = frameNumber;
        next = (next + 1) % buffers.length;
        pending++;
    }

    /**
     * Copies the oldest pending frame into {@code into} when its read has finished, or, with {@code wait}, when it
     * finishes.
     *
     * @return the frame number copied, or -1 when none was ready
     */
    long poll(RgbaCanvas into, boolean wait) {
        if (pending == 0) {
            return -1;
        }
        int oldest = (next - pending + buffers.length) % buffers.length;
        long timeout = wait ? 1_000_000_000L : 0;
        int status = glClientWaitSync(fences[oldest], GL_SYNC_FLUSH_COMMANDS_BIT, timeout);
        if (status == GL_TIMEOUT_EXPIRED) {
            return -1;
        }
        glDeleteSync(fences[oldest]);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, buffers[oldest]);
        ByteBuffer pixels = glMapBufferRange(GL_PIXEL_PACK_BUFFER, 0, (long) width * height * 4, GL_MAP_READ_BIT);
        if (pixels == null) {
            glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
            throw new IllegalStateException("glMapBufferRange failed: GL error 0x" + Integer.toHexString(glGetError()));
        }
        into.data().put(0, pixels, 0, width * height * 4);
        glUnmapBuffer(GL_PIXEL_PACK_BUFFER);
        glBindBuffer(GL_PIXEL_PACK_BUFFER, 0);
        pending--;
        return frameNumbers[oldest];
    }

    @Override
    public void close() {
        for (int i = 0; i < pending; i++) {
            glDeleteSync(fences[(next - pending + i + buffers.length) % buffers.length]);
        }
        pending = 0;
        glDeleteBuffers(buffers);
    }
}
