package io.rendercast.rtmp.server.viewer;

import io.netty.channel.ChannelHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.WebSocket13FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.rendercast.rtmp.protocol.command.ClientCommand;
import io.rendercast.rtmp.server.transport.ByteCounter;
import java.util.function.Consumer;

/**
 * The viewer's WebSocket readers for the fuzz targets, which live in another package: in its package on the class
 * path, this class reaches what the server keeps package-private.
 */
public final class ViewerFuzzing {

    private ViewerFuzzing() {
    }

    /**
     * What reads a page's bytes once its WebSocket is open, as {@link HttpRouter} sets it up: the frame decoder
     * its handshake installs (masked frames, no extensions, 64 KiB at most), then the viewer's message decoder.
     *
     * @param commands told each command the page sends
     */
    public static ChannelHandler[] webSocketReaders(Consumer<ClientCommand> commands) {
        FullHttpRequest upgrade = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws/live/fuzz");
        upgrade.headers().set(HttpHeaderNames.SEC_WEBSOCKET_VERSION, "13");
        // The page's word that it drew a frame, and how many wait in its decoder, is read as well, and its count of
        // the video bytes it received (of none sent here: any count but 0 is refused).
        ByteCounter traffic = new ByteCounter();
        PageAcknowledgements acks = new PageAcknowledgements(traffic);
        try {
            WebSocketServerHandshaker handshaker = HttpRouter.webSockets("ws://localhost/ws/live/fuzz")
                    .newHandshaker(upgrade);
            return new ChannelHandler[] {new WebSocket13FrameDecoder(handshaker.decoderConfig()),
                    new ViewerMessageDecoder(commands, timestamp -> { }, (timestamp, waiting) -> {
                        if (waiting >= 0) {
                            traffic.waitingToShow(waiting);
                        }
                    }, acks::received)};
        } finally {
            upgrade.release();
        }
    }
}
