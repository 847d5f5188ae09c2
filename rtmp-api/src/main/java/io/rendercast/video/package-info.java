/**
 * Canvases and the video encoder SPI.
 *
 * <p>A render handler fills a {@link io.rendercast.video.Canvas}; a frame handler hands it to the stream's
 * {@link io.rendercast.video.VideoEncoder}. Encoders come from {@link io.rendercast.video.VideoEncoderProvider}s
 * found at run time; {@link io.rendercast.video.VideoEncoders} picks one.
 */
package io.rendercast.video;
