package io.rendercast.rtmp.server.session;

import io.rendercast.video.Canvas;
import io.rendercast.video.CudaCanvas;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;
import java.util.List;

/**
 * The encoder a stream owns, as the application sees it: it passes every call on, and tells the stream of the
 * init data so that the player gets it (as the AVC sequence header) before the first frame. The stream closes
 * it when the stream is deleted; an application's own {@link #close()} only flushes.
 */
final class StreamEncoder implements VideoEncoder {

    private final VideoEncoder encoder;
    private final ServerStream stream;

    StreamEncoder(VideoEncoder encoder, ServerStream stream) {
        this.encoder = encoder;
        this.stream = stream;
    }

    @Override
    public String identifier() {
        return encoder.identifier();
    }

    @Override
    public VideoData init(int width, int height) throws VideoEncoderException {
        VideoData data = encoder.init(width, height);
        stream.encoderInitialized(data, width, height);
        return data;
    }

    @Override
    public boolean isInitialized() {
        return encoder.isInitialized();
    }

    @Override
    public void setParameter(String name, String value) throws VideoEncoderException {
        encoder.setParameter(name, value);
    }

    @Override
    public String getParameter(String name) {
        return encoder.getParameter(name);
    }

    @Override
    public List<String> supportedTypes() {
        return encoder.supportedTypes();
    }

    @Override
    public VideoData encode(Canvas canvas) throws VideoEncoderException {
        return encoder.encode(canvas);
    }

    @Override
    public VideoData encode(CudaCanvas canvas) throws VideoEncoderException {
        return encoder.encode(canvas);
    }

    @Override
    public void requestKeyFrame() {
        encoder.requestKeyFrame();
    }

    /** The stream owns the encoder; an application closing it gets nothing back and the stream keeps it. */
    @Override
    public VideoData close() {
        return VideoData.EMPTY;
    }

    void closeOwned() {
        encoder.close();
    }
}
