package io.rendercast.rtmp.server;

import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.ConnectHandler;
import io.rendercast.rtmp.Connection;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.VideoData;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application for server tests: accepts app "live", answers the call "add", and streams frames with no codec
 * (the frame handler's bytes go out as they are), shaped as FLV tags so that the first byte tells key frames.
 */
final class TestApplication implements ConnectHandler {

    final int frameSize;
    final int keyFrameInterval;
    final double renderRate;
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Connection> connections = new CopyOnWriteArrayList<>();
    final List<Stream> streams = new CopyOnWriteArrayList<>();
    final Map<String, AtomicInteger> fullSeenByStream = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> framesMadeByStream = new ConcurrentHashMap<>();

    /** A server on a free loopback port, with this application as its connect handler. */
    NettyRtmpServer serve(io.rendercast.rtmp.RtmpServerOptions options) throws java.io.IOException {
        NettyRtmpServer server = new NettyRtmpServer(options);
        server.addConnectHandler(this);
        server.start(new java.net.InetSocketAddress("127.0.0.1", 0));
        return server;
    }

    TestApplication(int frameSize, int keyFrameInterval, double renderRate) {
        this.frameSize = frameSize;
        this.keyFrameInterval = keyFrameInterval;
        this.renderRate = renderRate;
    }

    @Override
    public boolean handle(boolean isCreate, Connection connection, Map<String, Object> commandObject,
                          List<Object> arguments) {
        events.add((isCreate ? "connect " : "disconnect ") + commandObject.getOrDefault("app", ""));
        if (!isCreate) {
            return true;
        }
        if (!"live".equals(commandObject.get("app"))) {
            return false;
        }
        connections.add(connection);
        connection.registerCallHandler("add", (c, name, object, args) ->
                CallResult.success(((Double) args.get(0)) + ((Double) args.get(1))));
        connection.registerCallHandler("slow", (c, name, object, args) -> {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CallResult.success(null);
        });
        connection.registerCallHandler("fail", (c, name, object, args) -> CallResult.error("failed on purpose"));
        connection.registerStreamEventHandler((create, stream, args) -> {
            events.add((create ? "create " : "delete ") + stream.streamName());
            if (create) {
                if (stream.streamName().startsWith("refuse")) {
                    return false;
                }
                stream.setProperty(Stream.RENDER_RATE, renderRate);
                // Listed once its handlers are in: a test that takes over one as soon as the stream is listed
                // (RenderOnRequestTest) had it taken back by these, under load, and saw no render in 10 s.
                install(stream);
                streams.add(stream);
            }
            return true;
        });
        return true;
    }

    /** Registers this application's handlers on a stream, a broadcast's included. */
    void install(Stream stream) {
        AtomicInteger made = framesMadeByStream.computeIfAbsent(stream.streamName(), k -> new AtomicInteger());
        AtomicInteger full = fullSeenByStream.computeIfAbsent(stream.streamName(), k -> new AtomicInteger());
        Thread[] renderThread = new Thread[1];
        stream.registerRenderHandler(new io.rendercast.rtmp.RenderHandler() {
            @Override
            public boolean handle(Stream s) {
                renderThread[0] = Thread.currentThread();
                if (s.streamName().startsWith("heavy")) {
                    try {
                        Thread.sleep(30); // a render that takes most of a frame period
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                return true;
            }

            @Override
            public void renderStopped(Stream s) {
                events.add("render stopped " + s.streamName()
                        + (Thread.currentThread() == renderThread[0] ? " on the render thread" : " elsewhere"));
            }
        });
        stream.registerFrameHandler((s, out, outQueueIsFull) -> {
            if (outQueueIsFull) {
                full.incrementAndGet();
                return true;
            }
            int n = made.getAndIncrement();
            boolean key = n % keyFrameInterval == 0;
            byte[] frame = new byte[frameSize];
            frame[0] = (byte) (key ? 0x17 : 0x27);
            out.accept(new VideoData(java.nio.ByteBuffer.wrap(frame), key));
            return true;
        });
        stream.registerPlayHandler((start, s, out) -> {
            events.add((start ? "play " : "stop ") + s.streamName());
            return !s.streamName().startsWith("noplay");
        });
        stream.registerPauseHandler((pause, s) -> {
            events.add((pause ? "pause " : "resume ") + s.streamName());
            return true;
        });
    }
}
