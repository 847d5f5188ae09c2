package io.rendercast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.rendercast.rtmp.protocol.chunk.ChunkDecoder;
import io.rendercast.rtmp.protocol.chunk.ChunkEncoder;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The chunk layer's hot path: one video message cut into chunks ({@link #encode}) and joined back
 * ({@link #decode}). Run with {@code -prof gc} to see the bytes allocated per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ChunkCodecBenchmark {

    @Param("65536")
    public int messageSize;

    @Param("4096")
    public int chunkSize;

    private ChunkEncoder encoder;
    private RawMessage video;
    private ByteBuf out;
    private ByteBuf wire;
    private EmbeddedChannel decoder;

    @Setup
    public void setUp() {
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        encoder = new ChunkEncoder();
        ByteBuf setChunkSize = alloc.buffer(4).writeInt(chunkSize);
        RawMessage announce = new RawMessage(2, 1, 0, 0, setChunkSize);
        ByteBuf announced = alloc.buffer();
        encoder.encode(announce, announced);
        announce.release();

        ByteBuf payload = alloc.directBuffer(messageSize);
        for (int i = 0; i < messageSize; i++) {
            payload.writeByte(i * 31);
        }
        video = new RawMessage(6, 9, 1, 0, payload);
        out = alloc.directBuffer(messageSize + messageSize / chunkSize * 4 + 64);

        // What a peer sends for one message: a fresh chunk stream state gives it a full (format 0) header,
        // so the same bytes can be fed to the decoder again and again.
        ChunkEncoder fresh = new ChunkEncoder();
        ByteBuf ignored = alloc.buffer();
        fresh.encode(new RawMessage(2, 1, 0, 0, alloc.buffer(4).writeInt(chunkSize)), ignored);
        ignored.release();
        wire = alloc.directBuffer();
        fresh.encode(video, wire);

        decoder = new EmbeddedChannel(new ChunkDecoder());
        decoder.config().setAllocator(alloc); // the allocator the server's channels use
        decoder.writeInbound(announced);
    }

    @TearDown
    public void tearDown() {
        video.release();
        out.release();
        wire.release();
        decoder.finishAndReleaseAll();
    }

    @Benchmark
    public int encode() {
        out.clear();
        encoder.encode(video, out);
        return out.writerIndex();
    }

    @Benchmark
    public int decode() {
        decoder.writeInbound(wire.retainedDuplicate());
        RawMessage message = decoder.readInbound();
        int length = message.payload().readableBytes();
        message.release();
        return length;
    }
}
