package io.rendercast.encoder.nvenc;

import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_AV1_PROFILE_MAIN_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_CODEC_AV1_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_CODEC_H264_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_CODEC_HEVC_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_H264_PROFILE_BASELINE_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_H264_PROFILE_HIGH_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_H264_PROFILE_MAIN_GUID;
import static org.bytedeco.nvcodec.global.nvencodeapi.NV_ENC_HEVC_PROFILE_MAIN_GUID;

import org.bytedeco.nvcodec.nvencodeapi.GUID;
import org.bytedeco.nvcodec.nvencodeapi.NV_ENC_CONFIG;

/**
 * The codecs NVENC encodes for Rendercast, and what differs between them: the codec and profile GUIDs, and the
 * codec's own configuration (key frame period, headers once in the init data rather than in every key frame,
 * no access unit delimiters). HEVC comes out as Annex B NAL units and AV1 as OBUs, as x265 and SVT-AV1 give them.
 */
enum NvencCodec {
    H264("h264", "NVENC H.264"),
    HEVC("hevc", "NVENC HEVC"),
    AV1("av1", "NVENC AV1");

    final String codecName;
    final String label;

    NvencCodec(String codecName, String label) {
        this.codecName = codecName;
        this.label = label;
    }

    GUID codecGuid() {
        return switch (this) {
            case H264 -> NV_ENC_CODEC_H264_GUID();
            case HEVC -> NV_ENC_CODEC_HEVC_GUID();
            case AV1 -> NV_ENC_CODEC_AV1_GUID();
        };
    }

    /** The profile's GUID: for H.264 the one named ({@code baseline}, {@code main}, {@code high}). */
    GUID profileGuid(String h264Profile) {
        return switch (this) {
            case H264 -> switch (h264Profile) {
                case "baseline" -> NV_ENC_H264_PROFILE_BASELINE_GUID();
                case "main" -> NV_ENC_H264_PROFILE_MAIN_GUID();
                default -> NV_ENC_H264_PROFILE_HIGH_GUID();
            };
            case HEVC -> NV_ENC_HEVC_PROFILE_MAIN_GUID();
            case AV1 -> NV_ENC_AV1_PROFILE_MAIN_GUID();
        };
    }

    /** Sets the codec's own part of {@code config}: a key frame every {@code idrPeriod} frames, headers once. */
    void configure(NV_ENC_CONFIG config, int idrPeriod) {
        switch (this) {
            case H264 -> config.encodeCodecConfig().h264Config().idrPeriod(idrPeriod).repeatSPSPPS(0).outputAUD(0);
            case HEVC -> config.encodeCodecConfig().hevcConfig().idrPeriod(idrPeriod).repeatSPSPPS(0).outputAUD(0);
            case AV1 -> config.encodeCodecConfig().av1Config().idrPeriod(idrPeriod).repeatSeqHdr(0)
                    .outputAnnexBFormat(0);
        }
    }
}
