package io.rendercast.video;

/** A video encoder could not do what it was asked; {@link #reason()} says which way it failed. */
public class VideoEncoderException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * Why an encoder failed: the error codes -1 to -5 of {@code mi::neuraylib::IVideo_encoder::init}, the video
     * encoder plug-in of the Iray SDK's RTMP server module that this API restates, and two of Rendercast's.
     */
    public enum Reason {
        /** -1: a parameter, size or call order is not valid. */
        INVALID_PARAMETERS,
        /** -2: the encoder cannot encode this resolution. */
        UNSUPPORTED_RESOLUTION,
        /** -3: {@code init} was already called. */
        ALREADY_INITIALIZED,
        /** -4: the device the encoder needs (a GPU, an encoder engine) is not here. */
        NO_DEVICE,
        /** -5: the codec library failed or is missing. */
        LIBRARY_FAILURE,
        /** The canvas's pixel type or memory is not one the encoder takes. */
        UNSUPPORTED_CANVAS,
        /** No provider for the codec or name asked for is on the module path. */
        NO_PROVIDER
    }

    private final Reason reason;

    public VideoEncoderException(Reason reason, String message) {
        super(reason + ": " + message);
        this.reason = reason;
    }

    public VideoEncoderException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
