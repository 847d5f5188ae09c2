package io.rendercast.benchmarks;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.amf.Amf0Writer;
import io.rendercast.rtmp.protocol.amf.Amf3Reader;
import io.rendercast.rtmp.protocol.amf.Amf3Writer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * AMF0 and AMF3, both ways, on what a client sends most: {@code connect}'s command object (as ffmpeg sends it)
 * and a call with a few arguments. Reading makes the maps and strings a handler is given, so it allocates by
 * design; writing into a reused buffer should not. Run with {@code -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AmfBenchmark {

    private final Map<String, Object> connect = new LinkedHashMap<>();
    private final List<Object> call = List.of("moveCamera", 7.0, 12.0, -3.0);
    private ByteBuf amf0;
    private ByteBuf amf3;
    private ByteBuf out;

    @Setup
    public void setUp() {
        connect.put("app", "live");
        connect.put("flashVer", "LNX 9,0,124,2");
        connect.put("tcUrl", "rtmp://localhost:1935/live");
        connect.put("fpad", false);
        connect.put("capabilities", 15.0);
        connect.put("audioCodecs", 4071.0);
        connect.put("videoCodecs", 252.0);
        connect.put("videoFunction", 1.0);
        connect.put("fourCcList", List.of("av01", "hvc1", "avc1"));
        PooledByteBufAllocator alloc = PooledByteBufAllocator.DEFAULT;
        amf0 = alloc.directBuffer();
        Amf0Writer.write(amf0, connect);
        for (Object value : call) {
            Amf0Writer.write(amf0, value);
        }
        amf3 = alloc.directBuffer();
        Amf3Writer writer = new Amf3Writer(amf3);
        writer.write(connect);
        for (Object value : call) {
            writer.write(value);
        }
        out = alloc.directBuffer(1024);
    }

    @TearDown
    public void tearDown() {
        amf0.release();
        amf3.release();
        out.release();
    }

    @Benchmark
    public List<Object> readAmf0() {
        return new Amf0Reader(amf0.duplicate()).readAll();
    }

    @Benchmark
    public Object readAmf3() {
        ByteBuf in = amf3.duplicate();
        Amf3Reader reader = new Amf3Reader(in);
        Object last = null;
        while (in.isReadable()) {
            last = reader.read();
        }
        return last;
    }

    @Benchmark
    public int writeAmf0() {
        out.clear();
        Amf0Writer.write(out, connect);
        for (Object value : call) {
            Amf0Writer.write(out, value);
        }
        return out.writerIndex();
    }

    @Benchmark
    public int writeAmf3() {
        out.clear();
        Amf3Writer writer = new Amf3Writer(out);
        writer.write(connect);
        for (Object value : call) {
            writer.write(value);
        }
        return out.writerIndex();
    }
}
