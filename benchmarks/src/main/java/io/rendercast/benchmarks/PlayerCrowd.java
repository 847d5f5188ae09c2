package io.rendercast.benchmarks;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thousands of RTMP players in one process, on Netty with one network thread, so that the players are not what
 * a fan-out benchmark measures. Each does the handshake, connects, plays a stream, answers pings and
 * acknowledges as a real player does, and reads its media with a chunk parser of its own (written apart from
 * the server's), counting video messages and bytes and checking that video timestamps advance.
 *
 * <p>For fault tests it also makes clients that misbehave: connections that send nothing at all, and players
 * that play and then never read again.
 */
final class PlayerCrowd implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<Player> players = new ArrayList<>();

    PlayerCrowd(int threads) {
        group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("crowd"), NioIoHandler.newFactory());
    }

    /** Players per source address: a server limits connections per address (Rendercast to 1,000 by default). */
    private static final int PER_ADDRESS = 500;

    /** How a client of the crowd behaves. */
    enum Behaviour {
        /** Plays and reads everything, as a real player does. */
        PLAYS,
        /** Plays, then reads nothing more, through a small receive buffer. */
        STALLS,
        /** Opens the connection and sends nothing at all. */
        SILENT
    }

    /** Starts {@code count} players of {@code app/streamName} on {@code address}. */
    void play(InetSocketAddress address, String app, String streamName, int count) throws InterruptedException {
        start(address, app, i -> streamName, count, Behaviour.PLAYS);
    }

    /**
     * Starts {@code count} clients that behave so, a few at a time, from loopback addresses 127.0.0.1,
     * 127.0.0.2, ... as many players on a network come from many addresses; client {@code i} plays
     * {@code streamName.apply(i)}.
     */
    void start(InetSocketAddress address, String app, java.util.function.IntFunction<String> streamName, int count,
               Behaviour behaviour) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 20_000);
        if (behaviour == Behaviour.STALLS) {
            bootstrap.option(ChannelOption.SO_RCVBUF, 4096);
        }
        for (int i = 0; i < count; i++) {
            Player player = new Player(ClientCommands.connectAndPlay(app, streamName.apply(i)), behaviour);
            synchronized (players) {
                players.add(player);
            }
            bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
                @Override
                protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast(player);
                }
            }).connect(address, new InetSocketAddress("127.0.0." + (1 + i / PER_ADDRESS), 0)).sync();
            if (i % 50 == 49) {
                TimeUnit.MILLISECONDS.sleep(20); // a server's accept backlog is finite; so is nginx's
            }
        }
    }

    /** A snapshot of every player's counters. */
    List<Counts> counts() {
        synchronized (players) {
            return players.stream().map(Player::counts).toList();
        }
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** One player's counters. */
    record Counts(boolean open, long videoMessages, long bytes, long timestampRegressions, int lastTimestamp) {
    }

    /** One player: the handshake, then a chunk parser that keeps only what it must act on. */
    private static final class Player extends ChannelInboundHandlerAdapter {

        private static final int HANDSHAKE = 1 + 2 * 1536;

        /** What the parser knows of one chunk stream. */
        private static final class ChunkStream {
            int length;
            int type;
            int timestamp;
            int delta;
            int remaining;
            boolean extended;
            byte[] small; // the payload of a control message being read
            int smallAt;
        }

        private final byte[] commands;
        private final Behaviour behaviour;
        /**
         * By chunk stream id, made as each id first comes: a server uses a handful. An array of every possible id
         * (65,600) took 262 KB a player, 315 MB for a crowd of 1,200 in the server's own JVM, whose collections then
         * paused its player for up to 350 ms at a time.
         */
        private final IntObjectHashMap<ChunkStream> streams = new IntObjectHashMap<>();
        private ByteBuf pending = Unpooled.EMPTY_BUFFER;
        private boolean handshakeDone;
        private int chunkSize = 128;
        private long windowSize;
        private long acknowledged;
        private volatile boolean open;
        private volatile long videoMessages;
        private volatile long bytes;
        private volatile long timestampRegressions;
        private volatile int lastVideoTimestamp = -1;

        Player(byte[] commands, Behaviour behaviour) {
            this.commands = commands;
            this.behaviour = behaviour;
        }

        Counts counts() {
            return new Counts(open, videoMessages, bytes, timestampRegressions, lastVideoTimestamp);
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open = true;
            if (behaviour == Behaviour.SILENT) {
                return;
            }
            ByteBuf c0c1 = ctx.alloc().buffer(1537);
            c0c1.writeByte(3).writeZero(1536);
            ctx.writeAndFlush(c0c1);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open = false;
            pending.release();
            pending = Unpooled.EMPTY_BUFFER;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf in = (ByteBuf) msg;
            bytes = bytes + in.readableBytes(); // one writer: this channel's thread
            ByteBuf all = pending.isReadable() ? Unpooled.wrappedBuffer(pending, in) : in;
            try {
                if (!handshakeDone) {
                    if (all.readableBytes() < HANDSHAKE) {
                        keep(all);
                        return;
                    }
                    all.skipBytes(1);
                    ByteBuf c2 = ctx.alloc().buffer(1536);
                    all.readBytes(c2, 1536); // S1, echoed
                    all.skipBytes(1536);
                    ctx.write(c2);
                    ctx.writeAndFlush(Unpooled.wrappedBuffer(commands));
                    handshakeDone = true;
                    if (behaviour == Behaviour.STALLS) {
                        ctx.channel().config().setAutoRead(false); // from here on it reads nothing
                    }
                }
                while (parseChunk(ctx, all)) {
                    // one chunk at a time until the buffer ends mid-chunk
                }
                keep(all);
            } finally {
                all.release();
            }
            if (windowSize > 0 && bytes - acknowledged >= windowSize / 2) {
                acknowledged = bytes;
                ByteBuf ack = ctx.alloc().buffer(16);
                ack.writeByte(2).writeMedium(0).writeMedium(4).writeByte(3).writeIntLE(0).writeInt((int) acknowledged);
                ctx.writeAndFlush(ack);
            }
        }

        /** Keeps what is left of {@code all} for the next read. */
        private void keep(ByteBuf all) {
            ByteBuf rest = all.isReadable() ? Unpooled.copiedBuffer(all) : Unpooled.EMPTY_BUFFER;
            pending = rest;
            all.readerIndex(all.writerIndex());
        }

        /** Reads one chunk if it is all there; false, reading nothing, when it is not. */
        private boolean parseChunk(ChannelHandlerContext ctx, ByteBuf in) {
            int start = in.readerIndex();
            if (!in.isReadable()) {
                return false;
            }
            int first = in.readUnsignedByte();
            int format = first >>> 6;
            int csid = first & 0x3F;
            if (csid == 0 || csid == 1) {
                if (in.readableBytes() < csid + 1) {
                    in.readerIndex(start);
                    return false;
                }
                csid = csid == 0 ? 64 + in.readUnsignedByte() : 64 + in.readUnsignedByte() + 256 * in.readUnsignedByte();
            }
            int headerSize = format == 0 ? 11 : format == 1 ? 7 : format == 2 ? 3 : 0;
            if (in.readableBytes() < headerSize) {
                in.readerIndex(start);
                return false;
            }
            ChunkStream stream = streams.get(csid);
            if (stream == null) {
                stream = new ChunkStream();
                streams.put(csid, stream);
            }
            boolean newMessage = stream.remaining == 0;
            int timeField = 0;
            int length = stream.length;
            int type = stream.type;
            if (format <= 2) {
                timeField = in.readUnsignedMedium();
            }
            if (format <= 1) {
                length = in.readUnsignedMedium();
                type = in.readUnsignedByte();
            }
            if (format == 0) {
                in.skipBytes(4); // message stream id
            }
            boolean extended = format <= 2 ? timeField == 0xFFFFFF : stream.extended;
            if (extended) {
                if (in.readableBytes() < 4) {
                    in.readerIndex(start);
                    return false;
                }
                int value = in.readInt();
                if (format <= 2) {
                    timeField = value;
                }
            }
            int part = Math.min(chunkSize, newMessage ? length : stream.remaining);
            if (in.readableBytes() < part) {
                in.readerIndex(start);
                return false;
            }
            // The whole chunk is here: only now does its header change the stream's state.
            stream.extended = extended;
            if (newMessage) {
                stream.length = length;
                stream.type = type;
                if (format == 0) {
                    stream.timestamp = timeField;
                    stream.delta = 0;
                } else if (format <= 2) {
                    stream.delta = timeField;
                    stream.timestamp += timeField;
                } else {
                    stream.timestamp += stream.delta;
                }
                stream.remaining = length;
                stream.small = type == 1 || type == 4 || type == 5 ? new byte[length] : null;
                stream.smallAt = 0;
            }
            if (stream.small != null) {
                in.readBytes(stream.small, stream.smallAt, part);
                stream.smallAt += part;
            } else {
                in.skipBytes(part);
            }
            stream.remaining -= part;
            if (stream.remaining == 0) {
                messageDone(ctx, stream);
            }
            return true;
        }

        private void messageDone(ChannelHandlerContext ctx, ChunkStream stream) {
            byte[] payload = stream.small;
            switch (stream.type) {
                case 1 -> chunkSize = readInt(payload, 0) & 0x7FFFFFFF;
                case 5 -> windowSize = readInt(payload, 0) & 0xFFFFFFFFL;
                case 4 -> {
                    if (payload.length >= 6 && payload[1] == 6) { // ping request: answer as players do
                        ByteBuf pong = ctx.alloc().buffer(18);
                        pong.writeByte(2).writeMedium(0).writeMedium(6).writeByte(4).writeIntLE(0)
                                .writeShort(7).writeBytes(payload, 2, 4);
                        ctx.writeAndFlush(pong);
                    }
                }
                case 9 -> {
                    if (stream.length > 5) { // not a sequence header or end of sequence alone
                        videoMessages = videoMessages + 1;
                        if (stream.timestamp < lastVideoTimestamp) {
                            timestampRegressions = timestampRegressions + 1;
                        }
                        lastVideoTimestamp = stream.timestamp;
                    }
                }
                default -> {
                }
            }
            stream.small = null;
        }

        private static int readInt(byte[] bytes, int at) {
            return (bytes[at] & 0xFF) << 24 | (bytes[at + 1] & 0xFF) << 16 | (bytes[at + 2] & 0xFF) << 8
                    | bytes[at + 3] & 0xFF;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
