package io.rendercast.rtmp.server.playback;

import io.rendercast.rtmp.protocol.flv.FlvVideoCodec;
import io.rendercast.video.VideoEncoderException;

/**
 * The codec a stream picked with {@code useCodec}, a player's own or a broadcast's, and the encoder the stream
 * owns for it; replaced as one.
 */
public record CodecChoice(FlvVideoCodec codec, StreamEncoder encoder) {

    /** No codec picked: frames go out as the frame handler makes them. */
    public static final CodecChoice NONE = new CodecChoice(null, null);

    /**
     * The choice of {@code codecName}, with a new encoder from {@code encoders} that tells {@code initListener}
     * of its init data; this choice's encoder is closed. Only while no playback encodes with it.
     *
     * @throws VideoEncoderException when there is no such codec or no encoder for it; this choice then stays
     */
    public CodecChoice replacedBy(String codecName, StreamEncoders encoders, StreamEncoder.InitListener initListener)
            throws VideoEncoderException {
        FlvVideoCodec chosen = StreamEncoder.codecNamed(codecName);
        CodecChoice next = new CodecChoice(chosen, new StreamEncoder(chosen.codecName(), encoders, initListener));
        close();
        return next;
    }

    /** Frees the encoder, if there is one. */
    public void close() {
        if (encoder != null) {
            encoder.closeOwned();
        }
    }
}
