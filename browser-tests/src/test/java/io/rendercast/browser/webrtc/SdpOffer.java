package io.rendercast.browser.webrtc;

import java.util.HashMap;
import java.util.Map;

/**
 * What an answer needs from a browser's SDP offer (RFC 8866, RFC 8829): its first video section's mid, the
 * certificate fingerprint, and the payload type it gave H.264 in packetization mode 1, Constrained Baseline
 * ({@code profile-level-id=42e01f}), which every WebRTC browser decodes.
 */
public record SdpOffer(String mid, String fingerprint, int h264PayloadType, String h264Fmtp) {

    /** @throws IllegalArgumentException what the offer lacks */
    public static SdpOffer parse(String sdp) {
        String fingerprint = null;
        String mid = null;
        boolean inVideo = false;
        boolean seenVideo = false;
        Map<Integer, String> codecs = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                inVideo = line.startsWith("m=video ") && !seenVideo;
                seenVideo |= inVideo;
                continue;
            }
            if (line.startsWith("a=fingerprint:sha-256 ") && fingerprint == null) {
                fingerprint = line.substring("a=fingerprint:sha-256 ".length()).strip();
            }
            if (!inVideo) {
                continue;
            }
            if (line.startsWith("a=mid:")) {
                mid = line.substring("a=mid:".length());
            } else if (line.startsWith("a=rtpmap:")) {
                String[] parts = line.substring("a=rtpmap:".length()).split(" ", 2);
                codecs.put(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
            } else if (line.startsWith("a=fmtp:")) {
                String[] parts = line.substring("a=fmtp:".length()).split(" ", 2);
                fmtps.put(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
            }
        }
        if (fingerprint == null) {
            throw new IllegalArgumentException("the offer has no sha-256 fingerprint");
        }
        if (mid == null) {
            throw new IllegalArgumentException("the offer has no video section with a mid");
        }
        for (Map.Entry<Integer, String> codec : codecs.entrySet()) {
            String fmtp = fmtps.getOrDefault(codec.getKey(), "");
            if (codec.getValue().startsWith("H264/90000") && fmtp.contains("packetization-mode=1")
                    && fmtp.contains("profile-level-id=42e01f")) {
                return new SdpOffer(mid, fingerprint, codec.getKey(), fmtp);
            }
        }
        throw new IllegalArgumentException("the offer has no H.264 Constrained Baseline in packetization mode 1");
    }
}
