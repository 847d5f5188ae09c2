package io.rendercast.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.util.ReferenceCountUtil;
import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.amf.Amf3Reader;
import io.rendercast.rtmp.protocol.amf.AmfException;
import io.rendercast.rtmp.protocol.chunk.ChunkDecoder;
import io.rendercast.rtmp.protocol.chunk.ChunkException;
import io.rendercast.rtmp.protocol.chunk.UnfinishedBytes;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.protocol.command.Command;
import io.rendercast.rtmp.protocol.handshake.HandshakeException;
import io.rendercast.rtmp.protocol.handshake.ServerHandshakeHandler;
import io.rendercast.rtmp.protocol.message.DataMessage;
import io.rendercast.rtmp.protocol.message.MessageException;
import io.rendercast.rtmp.server.viewer.ViewerFuzzing;
import io.rendercast.rtmp.server.webrtc.WebRtcFuzzing;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Fuzz targets for every reader of client bytes. Each may fail only with its codec's own exception; anything
 * else (a NullPointerException, an IndexOutOfBounds, an OutOfMemoryError, a hang) is a finding. Every buffer is
 * released, so that Netty's leak detector (PARANOID in tests) reports what is not.
 *
 * <p>Corpora: {@code src/test/resources/io/rendercast/fuzz/ClientBytesFuzzTestInputs/METHOD/}, seeded with what
 * ffmpeg, rtmpdump and GStreamer sent a real server, what the viewer page sends, and hand-made edge cases.
 */
class ClientBytesFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void handshake(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new ServerHandshakeHandler(Duration.ofSeconds(10),
                (ctx, scheme) -> { }));
        feed(channel, HandshakeException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(input)));
    }

    @FuzzTest(maxDuration = "60s")
    void chunkDecoder(byte[] input) {
        EmbeddedChannel channel = new EmbeddedChannel(new ChunkDecoder(1 << 20, 16, 1 << 16, 1 << 20,
                new UnfinishedBytes(1 << 22)));
        // Fed in two parts, so that a chunk split across reads is exercised too.
        int split = input.length / 2;
        feed(channel, ChunkException.class, () -> {
            channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
            channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        });
    }

    @FuzzTest(maxDuration = "60s")
    void amf0(byte[] input) {
        try {
            new Amf0Reader(Unpooled.wrappedBuffer(input)).readAll();
        } catch (AmfException e) {
            // the reader's own error: expected for bad input
        }
    }

    @FuzzTest(maxDuration = "60s")
    void amf3(byte[] input) {
        ByteBuf in = Unpooled.wrappedBuffer(input);
        try {
            Amf3Reader reader = new Amf3Reader(in);
            while (in.isReadable()) {
                reader.read();
            }
        } catch (AmfException e) {
            // the reader's own error: expected for bad input
        }
    }

    /** What a command or data message means, as the session decodes it: the first byte picks the message type. */
    @FuzzTest(maxDuration = "60s")
    void commandDispatch(byte[] input) {
        if (input.length == 0) {
            return;
        }
        ByteBuf payload = Unpooled.wrappedBuffer(input, 1, input.length - 1);
        try {
            switch (input[0] & 3) {
                case 0 -> ClientCommand.decode(Command.read(payload, false), input[0] >>> 2 & 7);
                case 1 -> ClientCommand.decode(Command.read(payload, true), input[0] >>> 2 & 7);
                case 2 -> ClientCommand.decode(DataMessage.read(payload, false));
                default -> ClientCommand.decode(DataMessage.read(payload, true));
            }
        } catch (AmfException | MessageException e) {
            // the readers' own errors: expected for bad input
        }
    }

    /**
     * What a browser sends the viewer page's WebSocket once it is open: frames as the server's handshake reads them
     * (masked, no extensions, 64 KiB at most), each text message read as the viewer's JSON command. Netty's frame
     * decoder may refuse the framing; the viewer's decoder refuses bad JSON, messages it does not know and frames
     * that are not text, each with an IllegalArgumentException. As in the server, the first error closes the
     * connection.
     */
    @FuzzTest(maxDuration = "60s")
    void viewerWebSocket(byte[] input) {
        List<Throwable> errors = new ArrayList<>();
        EmbeddedChannel channel = new EmbeddedChannel(ViewerFuzzing.webSocketReaders(Objects::requireNonNull));
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                errors.add(cause);
                ctx.close();
            }
        });
        // Fed in two parts, so that a frame split across reads is exercised too.
        int split = input.length / 2;
        channel.writeInbound(Unpooled.wrappedBuffer(input, 0, split));
        if (channel.isOpen()) {
            channel.writeInbound(Unpooled.wrappedBuffer(input, split, input.length - split));
        }
        Object message;
        while ((message = channel.readInbound()) != null) {
            ReferenceCountUtil.release(message);
        }
        channel.finishAndReleaseAll();
        for (Throwable error : errors) {
            if (!(error instanceof IllegalArgumentException || error instanceof DecoderException)) {
                throw new AssertionError("the viewer's reader failed with " + error, error);
            }
        }
    }

    /** A datagram on the WebRTC port, as a STUN binding request (RFC 8489) its ICE-lite agent reads. */
    @FuzzTest(maxDuration = "60s")
    void stun(byte[] input) {
        expectIllegalArgument(() -> WebRtcFuzzing.stun(input));
    }

    /** A WHEP offer's body (SDP), read and answered. */
    @FuzzTest(maxDuration = "60s")
    void whepOffer(byte[] input) {
        expectIllegalArgument(() -> WebRtcFuzzing.sdp(input));
    }

    /** A WebRTC player's RTCP, opened from SRTCP and read for PLI, FIR and NACK. */
    @FuzzTest(maxDuration = "60s")
    void rtcp(byte[] input) {
        expectIllegalArgument(() -> WebRtcFuzzing.rtcp(input));
    }

    /** A data channel's SCTP packets, from the INIT on. */
    @FuzzTest(maxDuration = "60s")
    void sctp(byte[] input) {
        WebRtcFuzzing.sctp(input);
    }

    /** A stream's FLV video tags, read back as H.264 NAL units or AV1 OBUs and packetized for RTP. */
    @FuzzTest(maxDuration = "60s")
    void flvVideo(byte[] input) {
        expectIllegalArgument(() -> WebRtcFuzzing.flvVideo(input));
    }

    private static void expectIllegalArgument(Runnable reading) {
        try {
            reading.run();
        } catch (IllegalArgumentException e) {
            // the reader's own error: expected for bad input
        }
    }

    /**
     * Feeds a channel and closes it, which decodes what is left once more; only {@code expected} may come out,
     * from either. Every message read and every buffer left is released.
     */
    private static void feed(EmbeddedChannel channel, Class<? extends Exception> expected, Runnable feeding) {
        try {
            feeding.run();
        } catch (DecoderException e) {
            expectCause(e, expected);
        }
        Object message;
        while ((message = channel.readInbound()) != null) {
            ReferenceCountUtil.release(message);
        }
        try {
            channel.finishAndReleaseAll();
        } catch (DecoderException e) {
            expectCause(e, expected);
        }
    }

    private static void expectCause(DecoderException e, Class<? extends Exception> expected) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        if (!expected.isInstance(cause) && !(cause instanceof DecoderException)) {
            throw e;
        }
    }
}
