package io.rendercast.hello;

import io.rendercast.rtmp.CallResult;
import io.rendercast.rtmp.RtmpServer;
import io.rendercast.rtmp.Stream;
import io.rendercast.video.RgbaCanvas;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A first Rendercast application, written as a user would: a white bar that crosses a blue picture, and a call of
 * its own, {@code setSpeed(n)}, that sets how many pixels the bar moves a frame (0 stops it). Everyone watches
 * the same bar. It plays at rtmp://localhost:1935/hello/bar, http://localhost:8080/hello/bar.flv, and on its own
 * page at http://localhost:8080/.
 *
 * <p>{@code java -p modules -m io.rendercast.hello/io.rendercast.hello.HelloRender [rtmp-port http-port web-folder]}
 */
public final class HelloRender {

    static final int WIDTH = 640;
    static final int HEIGHT = 360;
    private static final int BAR = 40;
    private static final byte[] BLUE = {0x20, 0x40, (byte) 0xA0, (byte) 0xFF};
    private static final byte[] WHITE = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};

    private final AtomicInteger speed = new AtomicInteger(4);
    private final AtomicInteger position = new AtomicInteger();

    public static void main(String[] args) throws Exception {
        int rtmpPort = args.length > 0 ? Integer.parseInt(args[0]) : 1935;
        int httpPort = args.length > 1 ? Integer.parseInt(args[1]) : 8080;
        Path web = Path.of(args.length > 2 ? args[2] : "web");
        HelloRender app = new HelloRender();
        RtmpServer server = RtmpServer.create();
        server.addConnectHandler((isCreate, connection, command, arguments) -> {
            if (!isCreate) {
                return true;
            }
            connection.registerCallHandler("setSpeed", (c, procedure, object, callArgs) -> app.setSpeed(callArgs));
            connection.registerStreamEventHandler((created, stream, playArgs) -> {
                if (created) {
                    app.play(stream);
                }
                return true;
            });
            return "hello".equals(command.get("app"));
        });
        // Players are told and encoders flushed on SIGTERM; the server's threads keep the JVM up until then.
        Runtime.getRuntime().addShutdownHook(new Thread(server::close));
        server.start(new InetSocketAddress(rtmpPort));
        server.serveFiles(web);
        server.startHttp(new InetSocketAddress(httpPort));
        System.out.println("hello-render: rtmp " + server.listenAddress().getPort() + " http "
                + server.httpAddress().getPort());
    }

    /** {@code setSpeed(n)}: pixels a frame, 0 to 40. Wrong arguments are the client's to hear about, in words. */
    CallResult setSpeed(List<Object> args) {
        if (args.size() != 1 || !(args.getFirst() instanceof Number n) || n.intValue() < 0 || n.intValue() > 40) {
            throw new IllegalArgumentException("setSpeed takes one number from 0 to 40, got " + args);
        }
        speed.set(n.intValue());
        return CallResult.success(n.intValue());
    }

    private void play(Stream stream) throws Exception {
        stream.useCodec("h264");
        stream.setProperty(Stream.RENDER_RATE, 30);
        stream.registerCanvasRenderHandler(WIDTH, HEIGHT, (s, canvas) -> {
            draw(canvas, position.updateAndGet(x -> (x + speed.get()) % (WIDTH - BAR)));
            return true;
        });
    }

    private static void draw(RgbaCanvas canvas, int barAt) {
        byte[] row = new byte[WIDTH * 4];
        for (int x = 0; x < WIDTH; x++) {
            System.arraycopy(x >= barAt && x < barAt + BAR ? WHITE : BLUE, 0, row, x * 4, 4);
        }
        ByteBuffer pixels = canvas.data();
        for (int y = 0; y < HEIGHT; y++) {
            pixels.put(y * row.length, row);
        }
    }
}
