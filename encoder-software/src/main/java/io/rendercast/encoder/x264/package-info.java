/** H.264 through libx264 in FFmpeg's libavcodec, with swscale turning RGBA canvases into I420. */
package io.rendercast.encoder.x264;
