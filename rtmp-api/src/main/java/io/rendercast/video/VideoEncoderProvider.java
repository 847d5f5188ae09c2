package io.rendercast.video;

/**
 * Makes video encoders of one implementation; found with {@link java.util.ServiceLoader}.
 *
 * <p>A provider is cheap to create: it loads no native library until {@link #availability()} is asked.
 */
public interface VideoEncoderProvider {

    /** A short name users choose it by, such as {@code "x264"} or {@code "nvenc"}. */
    String name();

    /** The codec its encoders write, as {@code Stream.useCodec} names it. */
    String codec();

    /** Higher wins when {@code auto} chooses among available providers of one codec. */
    int priority();

    /** Whether it can run on this machine and, when not, why; answered before any encoder is made. */
    Availability availability();

    /**
     * A new encoder, not yet initialised.
     *
     * @throws VideoEncoderException NO_DEVICE or LIBRARY_FAILURE when it cannot run here
     */
    VideoEncoder create() throws VideoEncoderException;

    /**
     * Whether a provider can run here.
     *
     * @param reason why not, or a short description of what it will use when it can
     */
    record Availability(boolean available, VideoEncoderException.Reason failure, String reason) {

        public static Availability available(String description) {
            return new Availability(true, null, description);
        }

        public static Availability unavailable(VideoEncoderException.Reason failure, String reason) {
            return new Availability(false, failure, reason);
        }
    }
}
