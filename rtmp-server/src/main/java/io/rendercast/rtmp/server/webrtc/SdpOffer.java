package io.rendercast.rtmp.server.webrtc;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What an answer needs from a WebRTC player's SDP offer (RFC 8866, RFC 8829): each media section's kind and mid,
 * the certificate fingerprint, and in the first video section the codecs this server sends that the player takes:
 * H.264 in packetization mode 1, in each of the profiles baseline, main and high the offer lists (every WebRTC
 * browser decodes Constrained Baseline, {@code profile-level-id=42e01f}; Chromium here offers main too, not high),
 * and AV1; each with the RTX payload type tied to it, if any.
 *
 * @param sections        every media section, in order: its kind ({@code video}, {@code audio}, ...) and mid
 * @param videoMid        the mid of the section the stream plays in
 * @param codecs          the codecs offered that this server sends, H.264 first
 * @param transportCcId   the header extension id of transport-wide congestion control's sequence number, or -1
 * @param playoutDelayId  the header extension id of the playout delay, or -1
 * @param absCaptureTimeId the header extension id of the absolute capture time, or -1 (Chromium takes it, but
 *                        offers it only where the page adds it to its offer, as the viewer page does)
 * @param dataMid         the mid of the data channels' section ({@code webrtc-datachannel}), or null: none
 * @param sctpPort        the SCTP port that section gives ({@code a=sctp-port}, 5000 unless it says)
 * @param flexfecPayloadType the payload type of FlexFEC ({@code flexfec-03}, which Chromium offers), or -1
 */
public record SdpOffer(List<Section> sections, String videoMid, String fingerprint, List<VideoCodec> codecs,
                       int transportCcId, int playoutDelayId, int absCaptureTimeId, String dataMid, int sctpPort,
                       int flexfecPayloadType) {

    /** One codec of the offer: this server's name for it, the payload type, its fmtp, and its RTX's (or -1). */
    public record VideoCodec(String name, int payloadType, String fmtp, int rtxPayloadType) {
        /** For H.264, the profile its fmtp names ({@code baseline}, {@code main}, {@code high}); else null. */
        public String h264Profile() {
            return name.equals("h264") ? h264ProfileOf(fmtp) : null;
        }

        /** Whether a decoder of this H.264 profile decodes a stream of {@code streamProfile}: one it tells apart. */
        public boolean holdsH264Profile(String streamProfile) {
            int needed = h264Rank(streamProfile);
            return needed >= 0 && h264Rank(h264Profile()) >= needed;
        }
    }

    /** H.264's profiles this server tells apart, each decodable by a decoder of those after it. */
    private static final List<String> H264_PROFILES = List.of("baseline", "main", "high");

    /** Where an H.264 profile stands among those this server tells apart: 0 for baseline up; -1 for another. */
    static int h264Rank(String profile) {
        return profile == null ? -1 : H264_PROFILES.indexOf(profile);
    }

    /** The offered codec this server calls {@code name} ({@code h264}, {@code av1}), or null. */
    public VideoCodec codec(String name) {
        return codecs.stream().filter(c -> c.name().equals(name)).findFirst().orElse(null);
    }

    /**
     * The offered codec to send a stream in: for H.264, the one of the least profile that holds the stream's
     * ({@code streamProfile}), or, where none does, the one of the highest profile offered; null where the offer
     * has no codec of that name.
     */
    public VideoCodec codecFor(String name, String streamProfile) {
        if (!name.equals("h264")) {
            return codec(name);
        }
        VideoCodec highest = null;
        for (VideoCodec c : codecs) { // in the order of their profiles
            if (c.name().equals("h264")) {
                if (c.holdsH264Profile(streamProfile)) {
                    return c;
                }
                highest = c;
            }
        }
        return highest;
    }

    /** The highest H.264 profile the offer takes, or null where it takes no H.264. */
    public String highestH264Profile() {
        VideoCodec highest = codecFor("h264", null);
        return highest == null ? null : highest.h264Profile();
    }

    /**
     * The profile an H.264 fmtp's {@code profile-level-id} names by its first byte: 0x42 baseline, 0x4d main,
     * 0x64 high; baseline where it names none (RFC 6184's default, 42000a); null for the others.
     */
    static String h264ProfileOf(String fmtp) {
        for (String parameter : fmtp.split(";")) {
            String[] pair = parameter.strip().split("=", 2);
            if (pair.length == 2 && pair[0].equalsIgnoreCase("profile-level-id")) {
                String value = pair[1].strip().toLowerCase(java.util.Locale.ROOT);
                return value.length() != 6 ? null : switch (value.substring(0, 2)) {
                    case "42" -> "baseline";
                    case "4d" -> "main";
                    case "64" -> "high";
                    default -> null;
                };
            }
        }
        return "baseline";
    }

    static final String TRANSPORT_CC = "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01";
    static final String PLAYOUT_DELAY = "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay";
    static final String ABS_CAPTURE_TIME = "http://www.webrtc.org/experiments/rtp-hdrext/abs-capture-time";

    /** The most an offer may hold: a browser's is a few kilobytes. */
    static final int MAX_LENGTH = 64 * 1024;

    /** One media section of the offer. */
    public record Section(String kind, String mid) {
    }

    /** @throws IllegalArgumentException what the offer lacks, or why it cannot be read */
    public static SdpOffer parse(String sdp) {
        if (sdp.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("an SDP offer of " + sdp.length() + " characters; at most "
                    + MAX_LENGTH + " are read");
        }
        if (!sdp.startsWith("v=0")) {
            throw new IllegalArgumentException("not an SDP offer: it does not begin with v=0");
        }
        String fingerprint = null;
        List<String> kinds = new ArrayList<>();
        List<String> mids = new ArrayList<>();
        int video = -1;
        int data = -1;
        int sctpPort = 5000;
        Map<Integer, String> codecs = new HashMap<>();
        Map<Integer, String> fmtps = new HashMap<>();
        Map<String, Integer> extensions = new HashMap<>();
        for (String raw : sdp.split("\r?\n")) {
            String line = raw.strip();
            if (line.startsWith("m=")) {
                String kind = line.substring(2).split(" ", 2)[0];
                kinds.add(kind);
                mids.add(null);
                if (video < 0 && kind.equals("video")) {
                    video = kinds.size() - 1;
                }
                if (data < 0 && kind.equals("application") && line.endsWith(" webrtc-datachannel")) {
                    data = kinds.size() - 1;
                }
                continue;
            }
            if (line.startsWith("a=fingerprint:sha-256 ") && fingerprint == null) {
                fingerprint = line.substring("a=fingerprint:sha-256 ".length()).strip();
            }
            if (kinds.isEmpty()) {
                continue;
            }
            if (line.startsWith("a=mid:")) {
                mids.set(mids.size() - 1, line.substring("a=mid:".length()));
            }
            if (data == kinds.size() - 1 && line.startsWith("a=sctp-port:")) {
                try {
                    sctpPort = Integer.parseInt(line.substring("a=sctp-port:".length()).strip());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("an SCTP port that is no number: " + cut(line));
                }
                if (sctpPort < 1 || sctpPort > 65535) {
                    throw new IllegalArgumentException("an SCTP port out of range: " + cut(line));
                }
            }
            if (video != kinds.size() - 1) {
                continue;
            }
            try {
                if (line.startsWith("a=rtpmap:")) {
                    String[] parts = line.substring("a=rtpmap:".length()).split(" ", 2);
                    codecs.put(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
                } else if (line.startsWith("a=extmap:")) {
                    String[] parts = line.substring("a=extmap:".length()).split(" ", 3);
                    int id = Integer.parseInt(parts[0].split("/", 2)[0]);
                    if (parts.length > 1 && id >= 1 && id <= 14) { // one-byte header ids, as this server writes
                        extensions.putIfAbsent(parts[1], id);
                    }
                } else if (line.startsWith("a=fmtp:")) {
                    String[] parts = line.substring("a=fmtp:".length()).split(" ", 2);
                    fmtps.put(Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("a payload type or extension id that is no number: " + cut(line));
            }
        }
        if (fingerprint == null) {
            throw new IllegalArgumentException("the offer has no sha-256 fingerprint");
        }
        if (video < 0 || mids.get(video) == null) {
            throw new IllegalArgumentException("the offer has no video section with a mid");
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            sections.add(new Section(kinds.get(i), mids.get(i) == null ? String.valueOf(i) : mids.get(i)));
        }
        List<VideoCodec> taken = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int pt : new java.util.TreeSet<>(codecs.keySet())) {
            String fmtp = fmtps.getOrDefault(pt, "");
            String codec = codecs.get(pt);
            String name = codec.startsWith("H264/90000") && fmtp.contains("packetization-mode=1")
                    && h264ProfileOf(fmtp) != null ? "h264"
                    : codec.startsWith("AV1/90000") ? "av1" : null;
            // One payload type of each codec and profile: the offer's first.
            if (name == null || !seen.add(name + (name.equals("h264") ? " " + h264ProfileOf(fmtp) : ""))) {
                continue;
            }
            taken.add(new VideoCodec(name, pt, fmtp, rtxFor(pt, codecs, fmtps)));
        }
        if (taken.isEmpty()) {
            throw new IllegalArgumentException("the offer has neither H.264 (baseline, main or high) in "
                    + "packetization mode 1 nor AV1");
        }
        // H.264 first, by profile, then AV1.
        taken.sort(java.util.Comparator.comparingInt(c -> c.name().equals("h264")
                ? h264Rank(c.h264Profile()) : H264_PROFILES.size()));
        return new SdpOffer(List.copyOf(sections), mids.get(video), fingerprint, List.copyOf(taken),
                extensions.getOrDefault(TRANSPORT_CC, -1), extensions.getOrDefault(PLAYOUT_DELAY, -1),
                extensions.getOrDefault(ABS_CAPTURE_TIME, -1),
                data < 0 || mids.get(data) == null ? null : mids.get(data), sctpPort, flexfec(codecs));
    }

    /** The RTX payload type the offer ties to {@code pt} ({@code apt=}), or -1. */
    private static int rtxFor(int pt, Map<Integer, String> codecs, Map<Integer, String> fmtps) {
        for (Map.Entry<Integer, String> other : new java.util.TreeMap<>(codecs).entrySet()) {
            if (other.getValue().startsWith("rtx/90000")
                    && fmtps.getOrDefault(other.getKey(), "").strip().equals("apt=" + pt)) {
                return other.getKey();
            }
        }
        return -1;
    }

    /** The offer's first payload type of FlexFEC, or -1. */
    private static int flexfec(Map<Integer, String> codecs) {
        return new java.util.TreeMap<>(codecs).entrySet().stream()
                .filter(codec -> codec.getValue().equalsIgnoreCase("flexfec-03/90000")).mapToInt(Map.Entry::getKey)
                .findFirst().orElse(-1);
    }

    private static String cut(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }
}
