/**
 * Rendercast's public API: the RTMP server and its handlers, the canvas, and the video encoder SPI.
 * Depends on nothing; implementations are found with {@link java.util.ServiceLoader}.
 */
module io.rendercast.rtmp {
    exports io.rendercast.rtmp;
    exports io.rendercast.rtmp.spi;
    exports io.rendercast.video;
    // Helpers the encoder implementations share; not for applications.
    exports io.rendercast.video.support to io.rendercast.encoder.software, io.rendercast.encoder.nvenc;

    uses io.rendercast.rtmp.spi.RtmpServerFactory;
    uses io.rendercast.video.VideoEncoderProvider;
}
