package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.BitratePolicy;
import io.rendercast.rtmp.CanvasRenderHandler;
import io.rendercast.rtmp.EncodedFrameHandler;
import io.rendercast.rtmp.FrameHandler;
import io.rendercast.rtmp.PauseHandler;
import io.rendercast.rtmp.PlayHandler;
import io.rendercast.rtmp.PropertyResult;
import io.rendercast.rtmp.RenderHandler;
import io.rendercast.rtmp.Stream;
import io.rendercast.rtmp.server.common.Properties;

/**
 * What an application sets on a stream, a player's own or a broadcast's: its handlers (managed mode's two among
 * them), its render rate, its bit rate policy and its properties. Any thread may set them; the stream's threads read them each time they need them.
 */
public abstract class StreamSettings implements Stream {

    static final double DEFAULT_RENDER_RATE = 30;
    private static final double MAX_RENDER_RATE = 240;

    private final Properties properties = new Properties();
    private volatile double renderRate = DEFAULT_RENDER_RATE;
    private volatile RenderHandler renderHandler;
    private volatile FrameHandler frameHandler;
    private volatile PlayHandler playHandler;
    private volatile PauseHandler pauseHandler;
    private volatile CanvasRendering canvasRendering;
    private volatile EncodedFrameHandler encodedFrameHandler;
    private volatile BitratePolicy bitratePolicy = BitratePolicy.ADAPTIVE;
    private final RenderRequest renderRequest = new RenderRequest();

    protected StreamSettings() {
        properties.putReserved(RENDER_RATE, DEFAULT_RENDER_RATE);
    }

    /**
     * How the encoder follows the player's path. A broadcast keeps it and follows none: its one encoder serves
     * every player.
     */
    public BitratePolicy bitratePolicy() {
        return bitratePolicy;
    }

    @Override
    public void setBitratePolicy(BitratePolicy policy) {
        bitratePolicy = policy == null ? BitratePolicy.ADAPTIVE : policy;
    }

    @Override
    public void requestRender() {
        renderRequest.ask();
    }

    /** The application's asks for a render now, which the playback's render thread takes. */
    public RenderRequest renderRequest() {
        return renderRequest;
    }

    public RenderHandler renderHandler() {
        return renderHandler;
    }

    public FrameHandler frameHandler() {
        return frameHandler;
    }

    /** Managed mode: the canvases' size and their render handler; null when the stream is not in it. */
    public CanvasRendering canvasRendering() {
        return canvasRendering;
    }

    public EncodedFrameHandler encodedFrameHandler() {
        return encodedFrameHandler;
    }

    public PlayHandler playHandler() {
        return playHandler;
    }

    public PauseHandler pauseHandler() {
        return pauseHandler;
    }

    /** Frames per second the render loop runs at. */
    public double renderRate() {
        return renderRate;
    }

    @Override
    public void registerRenderHandler(RenderHandler handler) {
        renderHandler = handler;
    }

    @Override
    public void registerFrameHandler(FrameHandler handler) {
        frameHandler = handler;
    }

    @Override
    public void registerCanvasRenderHandler(int width, int height, CanvasRenderHandler handler) {
        canvasRendering = handler == null ? null : new CanvasRendering(width, height, handler);
    }

    @Override
    public void registerEncodedFrameHandler(EncodedFrameHandler handler) {
        encodedFrameHandler = handler;
    }

    @Override
    public void registerPlayHandler(PlayHandler handler) {
        playHandler = handler;
    }

    @Override
    public void registerPauseHandler(PauseHandler handler) {
        pauseHandler = handler;
    }

    @Override
    public PropertyResult setProperty(String key, Object value) {
        if (RENDER_RATE.equals(key)) {
            double rate = value instanceof Number n ? n.doubleValue() : Double.NaN;
            if (!(rate > 0 && rate <= MAX_RENDER_RATE)) {
                return PropertyResult.INVALID_VALUE;
            }
            renderRate = rate;
            properties.putReserved(key, rate);
            return PropertyResult.OK;
        }
        return properties.set(key, value);
    }

    @Override
    public Object getProperty(String key) {
        return properties.get(key);
    }
}
