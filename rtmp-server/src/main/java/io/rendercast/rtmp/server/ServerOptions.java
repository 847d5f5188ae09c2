package io.rendercast.rtmp.server;

import java.time.Duration;

/**
 * Settings of a server, with defaults that suit players on a LAN or the internet.
 *
 * @param handshakeTimeout     a client that has not finished the handshake by then is closed
 * @param chunkSize            the chunk size the server sends with (announced with Set Chunk Size)
 * @param windowAckSize        the acknowledgement window announced to clients
 * @param outQueueFrames       frames in flight to one player before it counts as behind
 * @param writeBufferLowBytes  Netty's low water mark for one connection's unsent bytes
 * @param writeBufferHighBytes Netty's high water mark: above it a player counts as behind
 * @param maxStreams           streams one connection may create
 * @param maxPendingCommands   commands of one connection waiting for its thread before it is closed
 * @param pingInterval         how often clients are pinged to measure the round-trip time
 */
public record ServerOptions(Duration handshakeTimeout, int chunkSize, int windowAckSize, int outQueueFrames,
                            int writeBufferLowBytes, int writeBufferHighBytes, int maxStreams, int maxPendingCommands,
                            Duration pingInterval) {

    public static ServerOptions defaults() {
        return new ServerOptions(Duration.ofSeconds(10), 4096, 2_500_000, 8, 512 * 1024, 2 * 1024 * 1024, 16, 256,
                Duration.ofSeconds(5));
    }

    public ServerOptions withOutQueueFrames(int frames) {
        return new ServerOptions(handshakeTimeout, chunkSize, windowAckSize, frames, writeBufferLowBytes,
                writeBufferHighBytes, maxStreams, maxPendingCommands, pingInterval);
    }

    public ServerOptions withWriteBuffer(int lowBytes, int highBytes) {
        return new ServerOptions(handshakeTimeout, chunkSize, windowAckSize, outQueueFrames, lowBytes, highBytes,
                maxStreams, maxPendingCommands, pingInterval);
    }

    public ServerOptions withHandshakeTimeout(Duration timeout) {
        return new ServerOptions(timeout, chunkSize, windowAckSize, outQueueFrames, writeBufferLowBytes,
                writeBufferHighBytes, maxStreams, maxPendingCommands, pingInterval);
    }
}
