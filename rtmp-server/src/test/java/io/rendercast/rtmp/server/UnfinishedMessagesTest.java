package io.rendercast.rtmp.server;

import io.netty.buffer.PooledByteBufAllocator;
import io.rendercast.rtmp.RtmpServerOptions;
import io.rendercast.rtmp.protocol.testing.LeakCheckExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import static io.rendercast.rtmp.server.RtmpServerTest.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages announced large and never finished: the server holds what really came, not what was announced, caps
 * what one client and all clients may hold, and keeps serving a player meanwhile.
 */
@ExtendWith(LeakCheckExtension.class)
class UnfinishedMessagesTest {

    private static final int ANNOUNCED = 4 << 20;
    private final TestApplication app = new TestApplication(2000, 10, 30);
    private NettyRtmpServer server;

    private InetSocketAddress start(RtmpServerOptions options) throws IOException {
        server = app.serve(options);
        return server.listenAddress();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** The first chunk of a command announced at {@code length} bytes, on chunk stream {@code csid} (below 64). */
    private static byte[] firstChunk(int csid, int length) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(csid);
        out.writeBytes(new byte[] {0, 0, 0});
        out.write(length >>> 16);
        out.write(length >>> 8);
        out.write(length);
        out.write(20);
        out.writeBytes(new byte[] {0, 0, 0, 0});
        out.writeBytes(new byte[128]);
        return out.toByteArray();
    }

    private static byte[] nextChunk(int csid) {
        byte[] chunk = new byte[129];
        chunk[0] = (byte) (0xC0 | csid);
        return chunk;
    }

    @Test
    void fortyClientsAnnouncingGigabytesCostWhatTheySent() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.defaults());
        long before = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory();
        List<RtmpTestClient> attackers = new ArrayList<>();
        try (RtmpTestClient player = RtmpTestClient.open(address)) {
            player.connect("live");
            player.play(player.createStream(), "watched");
            for (int c = 0; c < 40; c++) {
                RtmpTestClient attacker = RtmpTestClient.open(address);
                attackers.add(attacker);
                attacker.connect("live");
                for (int csid = 4; csid < 64; csid++) {
                    attacker.sendBytes(firstChunk(csid, ANNOUNCED)); // 60 x 4 MB announced, 128 bytes sent
                }
            }
            long expected = 40L * 60 * 128;
            waitFor("every first chunk is held").until(() -> server.unfinishedBytes().held() == expected);
            long grown = PooledByteBufAllocator.DEFAULT.metric().usedDirectMemory() - before;
            System.out.printf("UnfinishedMessagesTest: 40 clients announced %d MB, sent %d KB; the server's direct "
                    + "memory grew %d KB%n", 40L * 60 * ANNOUNCED >> 20, expected >> 10, grown >> 10);
            assertTrue(grown < 64 << 20, "40 clients announcing 9.6 GB grew the server's memory by " + grown + " bytes");
            int before2 = player.video().size();
            waitFor("the player is served meanwhile").until(() -> player.video().size() > before2 + 20);
        } finally {
            for (RtmpTestClient attacker : attackers) {
                attacker.close();
            }
        }
        waitFor("what the attackers held is given back").until(() -> server.unfinishedBytes().held() == 0);
    }

    @Test
    void aClientPastItsCapOrTheServersBudgetIsClosedAndTheRestGoOn() throws Exception {
        InetSocketAddress address = start(RtmpServerOptions.builder().maxUnfinishedBytes(64 << 10, 256 << 10).build());
        try (RtmpTestClient greedy = RtmpTestClient.open(address)) {
            greedy.connect("live");
            greedy.sendBytes(firstChunk(4, ANNOUNCED));
            try {
                for (int i = 0; i < 600; i++) {
                    greedy.sendBytes(nextChunk(4)); // 76 KB of one message: past 64 KB
                }
            } catch (IOException e) {
                // closed while still sending
            }
            waitFor("the client past its cap is closed").until(greedy::serverClosed);
        }
        List<RtmpTestClient> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 6; c++) { // 6 x 60 KB: past the server's 256 KB
                RtmpTestClient client = RtmpTestClient.open(address);
                clients.add(client);
                client.connect("live");
                client.sendBytes(firstChunk(4, ANNOUNCED));
                for (int i = 0; i < 470; i++) {
                    client.sendBytes(nextChunk(4));
                }
            }
        } catch (IOException e) {
            // one was closed while still sending
        }
        waitFor("a client past the budget is closed")
                .until(() -> clients.stream().anyMatch(RtmpTestClient::serverClosed));
        assertTrue(server.unfinishedBytes().held() <= 256 << 10, "held " + server.unfinishedBytes().held());
        try (RtmpTestClient next = RtmpTestClient.open(address)) {
            assertEquals("_result", next.connect("live").name(), "others are still served");
        } finally {
            for (RtmpTestClient client : clients) {
                client.close();
            }
        }
    }
}
