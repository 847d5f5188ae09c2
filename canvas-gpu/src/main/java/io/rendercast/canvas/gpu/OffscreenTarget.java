package io.rendercast.canvas.gpu;

import static org.lwjgl.opengl.GL33C.*;

import java.nio.ByteBuffer;

/** A framebuffer with an RGBA8 colour texture (which CUDA can map) and a depth buffer. */
final class OffscreenTarget implements AutoCloseable {

    final int width;
    final int height;
    final int framebuffer;
    final int colorTexture;
    private final int depth;

    OffscreenTarget(int width, int height) throws GpuUnavailableException {
        this.width = width;
        this.height = height;
        colorTexture = glGenTextures();
        glBindTexture(GL_TEXTURE_2D, colorTexture);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, (ByteBuffer) null);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        depth = glGenRenderbuffers();
        glBindRenderbuffer(GL_RENDERBUFFER, depth);
        glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH_COMPONENT24, width, height);
        framebuffer = glGenFramebuffers();
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
        glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, colorTexture, 0);
        glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_ATTACHMENT, GL_RENDERBUFFER, depth);
        int status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
        if (status != GL_FRAMEBUFFER_COMPLETE) {
            close();
            throw new GpuUnavailableException("a " + width + "x" + height + " RGBA8 framebuffer is incomplete: 0x"
                    + Integer.toHexString(status));
        }
    }

    void bind() {
        glBindFramebuffer(GL_FRAMEBUFFER, framebuffer);
        glViewport(0, 0, width, height);
    }

    @Override
    public void close() {
        glDeleteFramebuffers(framebuffer);
        glDeleteRenderbuffers(depth);
        glDeleteTextures(colorTexture);
    }
}
