/**
 * RTMP's chunk stream: messages cut into chunks with headers of format 0 to 3, interleaved over chunk stream
 * ids. {@link io.rendercast.rtmp.protocol.chunk.ChunkDecoder} joins chunks into
 * {@link io.rendercast.rtmp.protocol.chunk.RawMessage}s and {@link io.rendercast.rtmp.protocol.chunk.ChunkEncoder}
 * cuts them, each applying Set Chunk Size as it passes.
 */
package io.rendercast.rtmp.protocol.chunk;
