package io.rendercast.rtmp.server.fuzz;

import static org.junit.jupiter.api.Assertions.fail;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.rendercast.rtmp.server.LeakCheckExtension;
import io.rendercast.rtmp.server.amf.Amf0Reader;
import io.rendercast.rtmp.server.amf.Amf0Writer;
import io.rendercast.rtmp.server.amf.Amf3Reader;
import io.rendercast.rtmp.server.amf.Amf3Writer;
import io.rendercast.rtmp.server.amf.AmfException;
import io.rendercast.rtmp.server.chunk.ChunkDecoder;
import io.rendercast.rtmp.server.chunk.ChunkEncoder;
import io.rendercast.rtmp.server.chunk.RawMessage;
import io.rendercast.rtmp.server.handshake.ServerHandshakeHandler;
import io.rendercast.rtmp.server.command.Command;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every reader of client bytes, fed random bytes and mutations of valid input (a fixed seed per reader, so a
 * failure repeats): it must either read something or throw its own codec exception, never anything else, and
 * never leak a buffer. A few thousand cases each keep the suite fast; the seeds and the corpus are here to
 * extend.
 */
@ExtendWith(LeakCheckExtension.class)
class ReaderFuzzTest {

    private static final int CASES = 3000;

    /** Valid inputs to mutate: the shapes real clients send. */
    private static List<byte[]> amf0Corpus() {
        List<byte[]> corpus = new ArrayList<>();
        Map<String, Object> connect = new LinkedHashMap<>();
        connect.put("app", "live");
        connect.put("tcUrl", "rtmp://localhost/live");
        connect.put("capabilities", 239.0);
        connect.put("list", List.of(1.0, "two", List.of(true)));
        for (Object value : List.of(connect, "connect", 1.0, List.of(connect, connect), true)) {
            ByteBuf buf = Unpooled.buffer();
            Amf0Writer.write(buf, value);
            corpus.add(bytes(buf));
        }
        ByteBuf amf3 = Unpooled.buffer();
        amf3.writeByte(0x11);
        new Amf3Writer(amf3).write(connect);
        corpus.add(bytes(amf3));
        return corpus;
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] array = new byte[buf.readableBytes()];
        buf.readBytes(array);
        buf.release();
        return array;
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] copy = seed.clone();
        int edits = 1 + random.nextInt(4);
        for (int i = 0; i < edits && copy.length > 0; i++) {
            switch (random.nextInt(3)) {
                case 0 -> copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                case 1 -> copy = java.util.Arrays.copyOf(copy, random.nextInt(copy.length + 1));
                default -> copy[random.nextInt(copy.length)] ^= (byte) (1 << random.nextInt(8));
            }
        }
        return copy;
    }

    private static void fuzz(long seed, List<byte[]> corpus, Class<? extends RuntimeException> allowed,
                             Consumer<byte[]> reader) {
        Random random = new Random(seed);
        for (int i = 0; i < CASES; i++) {
            byte[] input;
            if (corpus.isEmpty() || random.nextInt(4) == 0) {
                input = new byte[random.nextInt(64)];
                random.nextBytes(input);
            } else {
                input = mutate(corpus.get(random.nextInt(corpus.size())), random);
            }
            try {
                reader.accept(input);
            } catch (RuntimeException e) {
                if (!allowed.isInstance(e)) {
                    fail("case " + i + " of seed " + seed + " threw " + e + " for "
                            + io.netty.buffer.ByteBufUtil.hexDump(input), e);
                }
            } catch (StackOverflowError | OutOfMemoryError e) {
                fail("case " + i + " of seed " + seed + ": " + e);
            }
        }
    }

    @Test
    void amf0ReaderThrowsOnlyAmfExceptions() {
        fuzz(1, amf0Corpus(), AmfException.class, input -> {
            ByteBuf buf = Unpooled.wrappedBuffer(input);
            try {
                new Amf0Reader(buf).readAll();
            } finally {
                buf.release();
            }
        });
    }

    @Test
    void amf3ReaderThrowsOnlyAmfExceptions() {
        List<byte[]> corpus = amf0Corpus().stream().filter(b -> b.length > 0 && b[0] == 0x11)
                .map(b -> java.util.Arrays.copyOfRange(b, 1, b.length)).toList();
        fuzz(2, corpus, AmfException.class, input -> {
            ByteBuf buf = Unpooled.wrappedBuffer(input);
            try {
                Amf3Reader reader = new Amf3Reader(buf);
                while (buf.isReadable()) {
                    reader.read();
                }
            } finally {
                buf.release();
            }
        });
    }

    @Test
    void commandReaderThrowsOnlyAmfExceptions() {
        Command connect = new Command("connect", 1, Map.of("app", "live"), List.of("extra", 2.0));
        ByteBuf buf = Unpooled.buffer();
        connect.write(buf);
        fuzz(3, List.of(bytes(buf)), AmfException.class, input -> {
            ByteBuf in = Unpooled.wrappedBuffer(input);
            try {
                Command.read(in);
            } finally {
                in.release();
            }
        });
    }

    @Test
    void chunkDecoderThrowsOnlyDecoderExceptionsAndLeaksNothing() {
        EmbeddedChannel encoder = new EmbeddedChannel(new ChunkEncoder());
        List<byte[]> corpus = new ArrayList<>();
        for (int size : new int[] {10, 300, 5000}) {
            encoder.writeOutbound(new RawMessage(6, 9, 1, size * 7, Unpooled.wrappedBuffer(new byte[size])));
            ByteBuf out = encoder.readOutbound();
            corpus.add(bytes(out));
        }
        encoder.finishAndReleaseAll();
        fuzz(4, corpus, DecoderException.class, input -> {
            EmbeddedChannel decoder = new EmbeddedChannel(new ChunkDecoder());
            try {
                decoder.writeInbound(Unpooled.wrappedBuffer(input));
            } finally {
                decoder.finishAndReleaseAll();
            }
        });
    }

    @Test
    void handshakeThrowsOnlyDecoderExceptions() {
        byte[] valid = new byte[1 + 1536 + 1536];
        valid[0] = 3;
        fuzz(5, List.of(valid), DecoderException.class, input -> {
            EmbeddedChannel channel = new EmbeddedChannel(new ServerHandshakeHandler(Duration.ofSeconds(5),
                    (ctx, scheme) -> { }));
            try {
                channel.writeInbound(Unpooled.wrappedBuffer(input));
            } finally {
                channel.finishAndReleaseAll();
            }
        });
    }
}
