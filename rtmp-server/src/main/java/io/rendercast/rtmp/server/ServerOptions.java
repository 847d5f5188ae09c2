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
 * @param pingInterval         how often clients are pinged, to measure the round-trip time and see they live
 * @param pingTimeout          a client from which nothing (not even a ping response) came for this long is closed
 * @param callTimeout          how long a call from the server waits for the client's answer
 * @param maxPendingCalls      calls from the server to one client waiting for answers at once
 */
public record ServerOptions(Duration handshakeTimeout, int chunkSize, int windowAckSize, int outQueueFrames,
                            int writeBufferLowBytes, int writeBufferHighBytes, int maxStreams, int maxPendingCommands,
                            Duration pingInterval, Duration pingTimeout, Duration callTimeout, int maxPendingCalls) {

    public static ServerOptions defaults() {
        return new ServerOptions(Duration.ofSeconds(10), 4096, 2_500_000, 8, 512 * 1024, 2 * 1024 * 1024, 16, 256,
                Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ofSeconds(30), 1024);
    }

    public ServerOptions withOutQueueFrames(int frames) {
        return new ServerOptions(handshakeTimeout, chunkSize, windowAckSize, frames, writeBufferLowBytes,
                writeBufferHighBytes, maxStreams, maxPendingCommands, pingInterval, pingTimeout, callTimeout,
                maxPendingCalls);
    }

    public ServerOptions withWriteBuffer(int lowBytes, int highBytes) {
        return new ServerOptions(handshakeTimeout, chunkSize, windowAckSize, outQueueFrames, lowBytes, highBytes,
                maxStreams, maxPendingCommands, pingInterval, pingTimeout, callTimeout, maxPendingCalls);
    }

    public ServerOptions withHandshakeTimeout(Duration timeout) {
        return new ServerOptions(timeout, chunkSize, windowAckSize, outQueueFrames, writeBufferLowBytes,
                writeBufferHighBytes, maxStreams, maxPendingCommands, pingInterval, pingTimeout, callTimeout,
                maxPendingCalls);
    }

    public ServerOptions withPings(Duration interval, Duration timeout) {
        return new ServerOptions(handshakeTimeout, chunkSize, windowAckSize, outQueueFrames, writeBufferLowBytes,
                writeBufferHighBytes, maxStreams, maxPendingCommands, interval, timeout, callTimeout, maxPendingCalls);
    }

    public ServerOptions withCallTimeout(Duration timeout) {
        return new ServerOptions(handshakeTimeout, chunkSize, windowAckSize, outQueueFrames, writeBufferLowBytes,
                writeBufferHighBytes, maxStreams, maxPendingCommands, pingInterval, pingTimeout, timeout,
                maxPendingCalls);
    }
}
