/**
 * A stream rendered for its own player: the stream's state machine, its render and frame threads on one frame
 * clock, the render budget they share, the stream's encoder and the sender that packages its frames.
 */
package io.rendercast.rtmp.server.playback;
