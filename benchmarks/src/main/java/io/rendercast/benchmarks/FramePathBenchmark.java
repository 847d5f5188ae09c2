package io.rendercast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import io.rendercast.rtmp.protocol.chunk.ChunkEncoder;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.flv.FlvVideoTags;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
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
 * The whole way of one encoded frame to the bytes a channel writes, as the server takes it: the encoder's Annex B
 * output in a direct buffer becomes an FLV tag (one copy, Annex B to length-prefixed NAL units), a pooled
 * message, then chunk headers and slices of the tag in an {@link EmbeddedChannel} with the server's allocator.
 * Run with {@code -prof gc}: steady state allocates nothing per frame. Netty's leak detector is off, as in
 * Netty's own microbenchmarks: at its default level it samples buffers and allocates for those it tracks.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class FramePathBenchmark {

    /** A 1280x720 inter frame at 2.5 Mbit/s and 30 fps is about 10 KB; a key frame 40 to 60 KB. */
    @Param({"10000", "60000"})
    public int frameSize;

    private ByteBuffer frame;
    private EmbeddedChannel channel;
    private PooledByteBufAllocator alloc;
    private int timestamp;

    @Setup
    public void setUp() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        alloc = PooledByteBufAllocator.DEFAULT;
        frame = ByteBuffer.allocateDirect(frameSize);
        // An access unit as x264 writes it: a delimiter, an SEI, one slice, each behind a 4-byte start code.
        frame.put(new byte[] {0, 0, 0, 1, 0x09, (byte) 0xF0});
        frame.put(new byte[] {0, 0, 0, 1, 0x06, 5, 8, 1, 2, 3, 4, 5, 6, 7, 8, (byte) 0x80});
        frame.put(new byte[] {0, 0, 0, 1, 0x41});
        SplittableRandom random = new SplittableRandom(7);
        while (frame.hasRemaining()) {
            frame.put((byte) (1 + random.nextInt(255))); // no zero bytes: no start code inside the slice
        }
        frame.flip();
        channel = new EmbeddedChannel(new ChunkEncoder());
        channel.config().setAllocator(alloc);
        channel.writeOutbound(new RawMessage(2, 1, 0, 0, alloc.buffer(4).writeInt(4096)));
        drain();
    }

    @TearDown
    public void tearDown() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public long frameToChannel() {
        ByteBuf tag = alloc.directBuffer(frame.remaining() + 16);
        FlvVideoTags.writeAvcFrame(tag, frame, false);
        timestamp += 33;
        channel.write(RawMessage.pooled(6, 9, 1, timestamp, tag), channel.voidPromise());
        channel.flush();
        return drain();
    }

    private long drain() {
        long bytes = 0;
        ByteBuf written;
        while ((written = channel.readOutbound()) != null) {
            bytes += written.readableBytes();
            written.release();
        }
        return bytes;
    }
}
