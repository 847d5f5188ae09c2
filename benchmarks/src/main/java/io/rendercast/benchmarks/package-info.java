/**
 * JMH benchmarks: {@link io.rendercast.benchmarks.ChunkCodecBenchmark} (a 64 KiB video message cut into 4096-byte
 * chunks and joined again) and {@link io.rendercast.benchmarks.X264EncodeBenchmark} (the demo scene encoded at
 * 1280x720). Run with {@code ./rendercast bench}.
 */
package io.rendercast.benchmarks;
