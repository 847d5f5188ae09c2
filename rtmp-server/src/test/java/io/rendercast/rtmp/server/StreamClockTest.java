package io.rendercast.rtmp.server;

import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import io.rendercast.rtmp.server.playback.StreamClock;
import io.rendercast.rtmp.server.playback.StreamMetadata;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The stream clock a player is told ({@code onMetaData}'s {@code rendercastClockEpochMillis}: the wall-clock time of
 * timestamp 0) agrees with the frames' stamps: a frame's epoch plus its stamp is when it was rendered, so no frame
 * arrives before it, and over a few seconds some arrive within a few milliseconds of it. The page's glass to glass
 * and WebRTC's absolute capture time are read off it. A clock told early fails it (checked with one 40 ms early);
 * the render loop ticking from its own start, a little after the epoch was taken, put every frame up to 13 ms early
 * in the network bench, but only about 1 ms here, where nothing else runs, which this cannot tell.
 */
@ExtendWith(LeakCheckExtension.class)
class StreamClockTest {

    private final TestApplication app = new TestApplication(100, 10, 20);
    private NettyRtmpServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void aFramesEpochPlusStampIsWhenItWasRendered() throws Exception {
        server = app.serve(RtmpServerOptions.defaults());
        try (RtmpTestClient client = RtmpTestClient.open(server.listenAddress())) {
            client.connect("live");
            client.play(client.createStream(), "clock");
            waitFor("frames").until(() -> client.video().size() >= 60);
            long epoch = -1;
            for (RtmpTestClient.Message message : client.drain()) {
                long found = StreamMetadata.clockEpochMillis(new RawMessage(message.chunkStreamId(),
                        message.typeId(), message.streamId(), message.timestamp(),
                        Unpooled.wrappedBuffer(message.payload())));
                epoch = found >= 0 ? found : epoch;
            }
            assertTrue(epoch > 0, "onMetaData told the stream's clock");
            // The reader thread's nanoTime, on the wall clock: both clocks read now, as the server reads them.
            StreamClock now = StreamClock.now();
            long wallMinusNano = now.epochMillis() - TimeUnit.NANOSECONDS.toMillis(now.zeroNanos());
            List<RtmpTestClient.VideoFrame> frames = List.copyOf(client.video());
            long least = Long.MAX_VALUE;
            for (RtmpTestClient.VideoFrame frame : frames) {
                long arrived = wallMinusNano + TimeUnit.NANOSECONDS.toMillis(frame.receivedNanos());
                long lag = arrived - (epoch + frame.timestamp());
                assertTrue(lag >= -3, "a frame stamped " + frame.timestamp() + " arrived " + -lag
                        + " ms before the clock says it was rendered");
                least = Math.min(least, lag);
            }
            // On loopback a frame of 100 bytes takes a millisecond or two from its render; a loaded machine's
            // scheduler may add some to each, but not to every one of 60.
            assertTrue(least < 25, "every frame arrived at least " + least + " ms after its stamp: the clock the "
                    + "player was told is early");
        }
    }
}
