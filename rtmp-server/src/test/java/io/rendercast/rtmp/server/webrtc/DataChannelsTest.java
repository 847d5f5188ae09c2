package io.rendercast.rtmp.server.webrtc;

import static io.rendercast.rtmp.server.webrtc.SctpPackets.chunk;
import static io.rendercast.rtmp.server.webrtc.SctpPackets.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A page's data channels as a peer opens them, packet by packet: an unordered input channel opened before the
 * ordered one holds the answers waiting for that one, and copies of an input are acted on once, however late one
 * comes.
 */
class DataChannelsTest {

    private static final int PEER_TAG = 0x0BAD_CAFE;
    private final List<byte[]> sent = new ArrayList<>();
    private final List<String> heard = new ArrayList<>();
    private final DataChannels channels = new DataChannels(5000, heard::add, sent::add);
    private int localTag;
    private long tsn = 1000;

    private void receive(byte[] packet) {
        channels.receive(packet, packet.length);
    }

    /** One whole message on {@code stream}: unordered ones with DATA's U flag. */
    private void message(int stream, int ppid, byte[] data, boolean unordered) {
        receive(packet(localTag, chunk(0, (unordered ? 4 : 0) | 3, ByteBuffer.allocate(12 + data.length)
                .putInt((int) tsn++).putShort((short) stream).putShort((short) 0).putInt(ppid).put(data).array())));
    }

    /** DCEP's DATA_CHANNEL_OPEN of {@code type}, labelled {@code label}. */
    private void open(int stream, int type, String label) {
        byte[] name = label.getBytes(StandardCharsets.US_ASCII);
        message(stream, 50, ByteBuffer.allocate(12 + name.length).put((byte) 3).put((byte) type).putShort((short) 0)
                .putInt(0).putShort((short) name.length).putShort((short) 0).put(name).array(), false);
    }

    private void establish() {
        receive(SctpPackets.init(PEER_TAG, tsn));
        localTag = SctpPackets.tagOf(sent.getLast());
        receive(SctpPackets.cookieEcho(sent.getLast()));
    }

    /** The texts the server sent on {@code stream} (payload protocol 51), in order. */
    private List<String> textsSentOn(int stream) {
        List<String> texts = new ArrayList<>();
        for (byte[] packet : sent) {
            ByteBuffer in = ByteBuffer.wrap(packet);
            if (in.get(12) == 0 && (in.getShort(12 + 4 + 4) & 0xFFFF) == stream && in.getInt(12 + 4 + 8) == 51) {
                texts.add(new String(packet, 12 + 16, (in.getShort(14) & 0xFFFF) - 16, StandardCharsets.UTF_8));
            }
        }
        return texts;
    }

    @Test
    void answersWaitForTheOrderedChannelThoughAnUnorderedOneOpensFirst() {
        establish();
        channels.sendText("{\"type\":\"status\",\"code\":\"NetStream.Play.Start\"}");
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> open(3, 0x80, "rendercast-input"),
                "an unordered channel opened first: the waiting answer is kept, not sent round and round");
        assertEquals(List.of(), textsSentOn(3), "no answer on the input channel");
        open(1, 0x00, "rendercast");
        assertEquals(List.of("{\"type\":\"status\",\"code\":\"NetStream.Play.Start\"}"), textsSentOn(1));
    }

    @Test
    void eachCopyOfAnInputIsTakenOnceHoweverLateTheOtherComes() {
        establish();
        open(1, 0x00, "rendercast");
        open(3, 0x80, "rendercast-input");
        String first = "{\"type\":\"call\",\"procedure\":\"moveCamera\",\"id\":0,\"args\":[7,0],\"copy\":1}";
        message(3, 51, first.getBytes(StandardCharsets.UTF_8), true);
        for (int copy = 2; copy < 200; copy++) { // many inputs later: past any list of recent texts
            byte[] text = ("{\"type\":\"call\",\"procedure\":\"moveCamera\",\"id\":0,\"args\":[1,0],\"copy\":" + copy
                    + "}").getBytes(StandardCharsets.UTF_8);
            message(3, 51, text, true);
            message(3, 51, text, true);
        }
        message(3, 51, first.getBytes(StandardCharsets.UTF_8), true); // the lost copy, come at last
        assertEquals(199, heard.size(), "each of 199 inputs once: " + heard.size());
        message(1, 51, "{\"type\":\"call\",\"procedure\":\"setColor\",\"id\":5,\"args\":[\"#00ff00\"]}"
                .getBytes(StandardCharsets.UTF_8), false);
        message(1, 51, "{\"type\":\"call\",\"procedure\":\"setColor\",\"id\":5,\"args\":[\"#00ff00\"]}"
                .getBytes(StandardCharsets.UTF_8), false);
        assertEquals(201, heard.size(), "the ordered channel's texts are never taken for copies");
    }
}
