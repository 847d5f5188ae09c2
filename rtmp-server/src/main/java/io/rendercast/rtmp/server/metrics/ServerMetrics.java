package io.rendercast.rtmp.server.metrics;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.DoubleSupplier;

/**
 * One server's metrics, in a Prometheus registry of its own, served at {@code /metrics} on the HTTP port in
 * Prometheus' text format: connections, streams, frames rendered, sent and dropped, bytes, the time frame handlers
 * take (their encoding), out-queue-full events, and refusals by reason.
 */
public final class ServerMetrics {

    /** Why a client was refused, as the {@code reason} label says it. */
    public enum Refusal {
        SERVER_FULL, NO_HANDLER, APPLICATION, PLAY_LIMIT, RENDER_TURNS, CODEC_NOT_LISTED, STREAM_REFUSED;

        String label() {
            return name().toLowerCase();
        }
    }

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Counter connectionsAccepted = Counter.builder().name("rendercast_connections_accepted")
            .help("Connections accepted, RTMP and HTTP viewers alike").register(registry);
    private final Counter refusals = Counter.builder().name("rendercast_refusals")
            .help("Clients or plays refused, by reason").labelNames("reason").register(registry);
    private final Counter framesRendered = Counter.builder().name("rendercast_frames_rendered")
            .help("Renders the render handlers made").register(registry);
    private final Counter framesSent = Counter.builder().name("rendercast_frames_sent")
            .help("Video frames handed to the network").register(registry);
    private final Counter framesDropped = Counter.builder().name("rendercast_frames_dropped")
            .help("Frames not encoded or not sent because a player was behind or a key frame was due").register(registry);
    private final Counter outQueueFull = Counter.builder().name("rendercast_out_queue_full")
            .help("Frame handler calls told the player's out-queue is full").register(registry);
    private final Counter bitrateChanges = Counter.builder().name("rendercast_bitrate_changes")
            .help("Bit rate changes of players' own encoders as their paths were measured, by direction")
            .labelNames("direction").register(registry);
    private final Counter controlChanges = Counter.builder().name("rendercast_control_changes")
            .help("Changes of who controls a broadcast or waits for it: grants, queueing, releases, hand-overs, leavers")
            .register(registry);
    private final Counter controlCallsRefused = Counter.builder().name("rendercast_control_calls_refused")
            .help("Calls of a broadcast's procedures by watchers who do not control it").register(registry);
    private final Histogram videoBitrate = Histogram.builder().name("rendercast_video_bitrate_bits_per_second")
            .help("The bit rate each player's encoder was set to, at each change").classicOnly()
            .classicUpperBounds(250e3, 500e3, 1e6, 1.5e6, 2e6, 3e6, 4e6, 6e6, 8e6).register(registry);
    private final Histogram frameHandlerSeconds = Histogram.builder().name("rendercast_frame_handler_seconds")
            .help("Time in the frame handler, which encodes").classicOnly()
            .classicUpperBounds(0.001, 0.002, 0.005, 0.01, 0.02, 0.033, 0.05, 0.1, 0.25).register(registry);

    /**
     * @param connections    connections open now
     * @param playingStreams streams playing now
     * @param bytesSent      bytes written to clients since the server started
     * @param bytesReceived  bytes read from clients since the server started
     */
    public ServerMetrics(DoubleSupplier connections, DoubleSupplier playingStreams, DoubleSupplier bytesSent,
                         DoubleSupplier bytesReceived) {
        GaugeWithCallback.builder().name("rendercast_connections").help("Connections open now")
                .callback(cb -> cb.call(connections.getAsDouble())).register(registry);
        GaugeWithCallback.builder().name("rendercast_streams_playing").help("Streams playing now")
                .callback(cb -> cb.call(playingStreams.getAsDouble())).register(registry);
        CounterWithCallback.builder().name("rendercast_bytes_sent").help("Bytes written to clients")
                .callback(cb -> cb.call(bytesSent.getAsDouble())).register(registry);
        CounterWithCallback.builder().name("rendercast_bytes_received").help("Bytes read from clients")
                .callback(cb -> cb.call(bytesReceived.getAsDouble())).register(registry);
    }

    /** Serves the server's room and whether it drains, as a balancer's dashboards want them beside the rest. */
    public void watchCapacity(java.util.function.Supplier<io.rendercast.rtmp.ServerCapacity> capacity) {
        GaugeWithCallback.builder().name("rendercast_capacity_room_percent")
                .help("The server's room: the least of what is left of connections, playing streams, render turns and CPU")
                .callback(cb -> cb.call(capacity.get().roomPercent())).register(registry);
        GaugeWithCallback.builder().name("rendercast_draining").help("1 while the server drains")
                .callback(cb -> cb.call(capacity.get().state()
                        == io.rendercast.rtmp.ServerCapacity.State.DRAINING ? 1 : 0)).register(registry);
    }

    /** Serves how many control the server's broadcasts and how many watch them. */
    public void watchBroadcasts(DoubleSupplier controllers, DoubleSupplier watchers) {
        GaugeWithCallback.builder().name("rendercast_broadcast_controllers")
                .help("Connections that control a broadcast now").callback(cb -> cb.call(controllers.getAsDouble()))
                .register(registry);
        GaugeWithCallback.builder().name("rendercast_broadcast_watchers")
                .help("Streams that watch a broadcast now, its controllers' included")
                .callback(cb -> cb.call(watchers.getAsDouble())).register(registry);
    }

    /**
     * What the WebRTC port counts, read at each scrape.
     *
     * @param sessions         WHEP sessions open
     * @param handshakes       DTLS handshakes under way
     * @param datagramsDropped datagrams dropped unread: checks for no session, from an address no check proved, or
     *                         that failed to parse
     * @param retransmitted    packets resent for NACKs (RTX)
     * @param resentUnasked    packets resent that the players' feedback reported lost and no NACK had asked for
     * @param notResent        packets NACKed that could not be resent: no longer kept, or beyond the budget
     * @param keyFramesAsked   PLIs and FIRs the players sent
     * @param pacerDropped     packets the pacer dropped for waiting too long
     * @param fecSent          FlexFEC packets sent, while players' paths lose some
     * @param probesSent       probes sent, to find whether a path carries more than an encoder short of its rate
     *                         showed
     * @param rtcpRead         SRTCP packets from players that opened (their reports, NACKs, PLIs and feedback)
     */
    public record WebRtcCounts(long sessions, long handshakes, long datagramsDropped, long retransmitted,
                               long resentUnasked, long notResent, long keyFramesAsked, long pacerDropped,
                               long fecSent, long probesSent, long rtcpRead) {
    }

    /** Serves the WebRTC port's counts, once it is open. */
    public void watchWebRtc(java.util.function.Supplier<WebRtcCounts> counts) {
        GaugeWithCallback.builder().name("rendercast_webrtc_sessions").help("WHEP sessions open now")
                .callback(cb -> cb.call(counts.get().sessions())).register(registry);
        GaugeWithCallback.builder().name("rendercast_webrtc_handshakes").help("DTLS handshakes under way now")
                .callback(cb -> cb.call(counts.get().handshakes())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_datagrams_dropped")
                .help("Datagrams at the WebRTC port dropped unread: for no session, from no proven peer, or unreadable")
                .callback(cb -> cb.call(counts.get().datagramsDropped())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_retransmitted")
                .help("Packets resent to WebRTC players for their NACKs")
                .callback(cb -> cb.call(counts.get().retransmitted())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_resent_unasked")
                .help("Packets resent to WebRTC players that their feedback reported lost and no NACK had asked for")
                .callback(cb -> cb.call(counts.get().resentUnasked())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_not_resent")
                .help("Packets WebRTC players NACKed that could not be resent: no longer kept, or beyond the budget")
                .callback(cb -> cb.call(counts.get().notResent())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_key_frames_asked")
                .help("PLIs and FIRs WebRTC players sent").callback(cb -> cb.call(counts.get().keyFramesAsked()))
                .register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_pacer_dropped")
                .help("Packets the pacer dropped for waiting too long").callback(cb -> cb.call(counts.get()
                        .pacerDropped())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_fec_sent")
                .help("FlexFEC packets sent to WebRTC players whose paths lose some")
                .callback(cb -> cb.call(counts.get().fecSent())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_probes_sent")
                .help("Probes sent to WebRTC players whose encoders left the rate unfilled, to find a faster path")
                .callback(cb -> cb.call(counts.get().probesSent())).register(registry);
        CounterWithCallback.builder().name("rendercast_webrtc_rtcp_read")
                .help("SRTCP packets from WebRTC players that opened: their reports, NACKs, PLIs and feedback")
                .callback(cb -> cb.call(counts.get().rtcpRead())).register(registry);
    }

    public void connectionAccepted() {
        connectionsAccepted.inc();
    }

    public void refused(Refusal reason) {
        refusals.labelValues(reason.label()).inc();
    }

    /** A player's encoder went from {@code before} to {@code after} bits per second (0: none, or stopped). */
    public void bitrateChanged(long before, long after) {
        if (before != 0 && after != 0) {
            bitrateChanges.labelValues(after < before ? "down" : "up").inc();
        }
        if (after != 0) {
            videoBitrate.observe(after);
        }
    }

    public void frameRendered() {
        framesRendered.inc();
    }

    public void frameSent() {
        framesSent.inc();
    }

    public void frameDropped() {
        framesDropped.inc();
    }

    public void outQueueFull() {
        outQueueFull.inc();
    }

    public void controlChanged() {
        controlChanges.inc();
    }

    public void controlCallRefused() {
        controlCallsRefused.inc();
    }

    public void frameHandlerTook(long nanos) {
        frameHandlerSeconds.observe(nanos / 1e9);
    }

    /** Everything, in Prometheus' text format (version 0.0.4). */
    public void write(OutputStream out) throws IOException {
        PrometheusTextFormatWriter.create().write(out, registry.scrape());
    }

    /** The content type of {@link #write}. */
    public static String contentType() {
        return PrometheusTextFormatWriter.create().getContentType();
    }
}
