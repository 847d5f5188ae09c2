/**
 * Encoders on FFmpeg's libavcodec (JavaCPP presets, GPL build): H.264 through libx264 and Sorenson H.263
 * through the {@code flv} encoder. {@link io.rendercast.encoder.avcodec.AvcodecEncoder} holds what they share:
 * the codec context, swscale's RGBA to I420 conversion and the packet loop.
 */
package io.rendercast.encoder.avcodec;
