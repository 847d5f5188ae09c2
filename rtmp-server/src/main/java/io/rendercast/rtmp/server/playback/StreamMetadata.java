package io.rendercast.rtmp.server.playback;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.rendercast.rtmp.protocol.amf.Amf0Reader;
import io.rendercast.rtmp.protocol.amf.Amf0Writer;
import io.rendercast.rtmp.protocol.chunk.RawMessage;
import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.rtmp.protocol.flv.FlvVideoTags;
import io.rendercast.rtmp.protocol.message.ChunkStreams;
import io.rendercast.rtmp.protocol.message.MessageType;
import io.rendercast.video.VideoData;
import io.rendercast.video.VideoEncoder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a player gets before the first frame: {@code onMetaData} and the codec's sequence header. */
public final class StreamMetadata {

    private StreamMetadata() {
    }

    /**
     * {@code onMetaData} for a stream: size (when known), frame rate, codec, bit rate, the wall-clock time of
     * timestamp 0, so that a viewer can measure latency, and the procedures the player's connection answers
     * ({@code rendercastCalls}, when {@code procedures} is not null), so that a page offers only those inputs.
     */
    public static RawMessage onMetaData(ByteBufAllocator alloc, int messageStreamId, int width, int height, double rate,
                                 FlvVideoCodec codec, VideoEncoder encoder, long clockEpochMillis,
                                 java.util.Collection<String> procedures) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        if (width > 0) {
            metadata.put("width", (double) width);
            metadata.put("height", (double) height);
        }
        metadata.put("framerate", rate);
        if (codec != null) {
            // Enhanced RTMP names its codecs by FourCC, written here as the number its four bytes make.
            metadata.put("videocodecid", (double) (codec.enhanced() ? codec.fourCcNumber() : codec.id()));
        }
        if (encoder != null && encoder.getParameter(VideoEncoder.BITRATE) != null) {
            metadata.put("videodatarate", Double.parseDouble(encoder.getParameter(VideoEncoder.BITRATE)) / 1000);
        }
        metadata.put("encoder", "Rendercast");
        metadata.put("rendercastClockEpochMillis", (double) clockEpochMillis);
        if (procedures != null) {
            metadata.put("rendercastCalls", procedures.stream().sorted().toList());
        }
        ByteBuf payload = alloc.buffer();
        Amf0Writer.write(payload, "onMetaData");
        Amf0Writer.writeEcmaArray(payload, metadata);
        return new RawMessage(ChunkStreams.STREAM_COMMAND, MessageType.DATA_AMF0.id(), messageStreamId, 0, payload);
    }

    /**
     * The wall-clock time of timestamp 0 that {@code message} gives, if it is this server's {@code onMetaData}
     * ({@link #onMetaData}); else -1.
     */
    public static long clockEpochMillis(RawMessage message) {
        if (message.typeId() != MessageType.DATA_AMF0.id()) {
            return -1;
        }
        List<Object> values = new Amf0Reader(message.payload().duplicate()).readAll();
        if (values.size() < 2 || !"onMetaData".equals(values.get(0)) || !(values.get(1) instanceof Map<?, ?> map)) {
            return -1;
        }
        return map.get("rendercastClockEpochMillis") instanceof Double epoch ? epoch.longValue() : -1;
    }

    /** H.264, HEVC and AV1 need their configuration record before the first frame; the Flash-era codecs none. */
    public static boolean needsSequenceHeader(FlvVideoCodec codec) {
        return codec == FlvVideoCodec.AVC || (codec != null && codec.enhanced());
    }

    /** The end of the sequence, for a codec that needs a header: players then show the last frame. */
    public static ByteBuf sequenceEnd(ByteBufAllocator alloc, FlvVideoCodec codec) {
        return codec == FlvVideoCodec.AVC ? FlvVideoTags.avcEndOfSequence(alloc)
                : FlvVideoTags.enhancedSequenceEnd(alloc, codec);
    }

    /**
     * The video tag a player needs before the first frame: H.264's AVC sequence header, an Enhanced RTMP
     * sequence start, or a Flash-era codec's init data as it is; {@code null} when there is none.
     */
    public static ByteBuf sequenceHeader(ByteBufAllocator alloc, FlvVideoCodec codec, VideoData initData) {
        if (codec == FlvVideoCodec.AVC) {
            return FlvVideoTags.avcSequenceHeader(alloc, initData.toByteArray());
        } else if (codec != null && codec.enhanced()) {
            return FlvVideoTags.enhancedSequenceStart(alloc, codec, initData.toByteArray());
        } else if (!initData.isEmpty()) {
            ByteBuf tag = alloc.directBuffer(initData.size());
            FlvVideoTags.copy(tag, initData.data(), initData.data().position(), initData.size());
            return tag;
        }
        return null;
    }
}
