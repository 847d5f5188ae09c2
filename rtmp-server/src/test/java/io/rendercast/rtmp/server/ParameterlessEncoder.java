package io.rendercast.rtmp.server;

import io.rendercast.video.Canvas;
import io.rendercast.video.VideoEncoder;
import java.util.List;

/** A test's encoder of its own: it takes RGBA canvases and keeps no parameters. */
abstract class ParameterlessEncoder implements VideoEncoder {

    @Override
    public void setParameter(String name, String value) {
    }

    @Override
    public String getParameter(String name) {
        return null;
    }

    @Override
    public List<String> supportedTypes() {
        return List.of(Canvas.RGBA);
    }
}
