/**
 * RTMP messages above the chunk layer: the message types, protocol control and user control messages, and
 * AMF0 commands and data messages, each built from or read into a {@link io.rendercast.rtmp.protocol.chunk.RawMessage}.
 */
package io.rendercast.rtmp.protocol.message;
