package io.rendercast.video.support;

import io.rendercast.video.VideoEncoder;
import io.rendercast.video.VideoEncoderException;

import io.rendercast.video.VideoEncoderException.Reason;

/**
 * Checks every {@link VideoEncoder} implementation makes the same way, so that they fail with the same reasons
 * and messages: parameter values and resolutions.
 */
public final class EncoderChecks {

    private EncoderChecks() {
    }

    /**
     * A parameter's value as a positive whole number (rounded), at most {@code max}.
     *
     * @throws VideoEncoderException INVALID_PARAMETERS naming the parameter and the value
     */
    public static long positiveNumber(String name, String value, long max) throws VideoEncoderException {
        try {
            long parsed = Math.round(Double.parseDouble(value));
            if (parsed > 0 && parsed <= max) {
                return parsed;
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw new VideoEncoderException(Reason.INVALID_PARAMETERS, name + " must be a positive number up to " + max
                + ", got '" + value + "'");
    }

    /**
     * {@link io.rendercast.video.VideoEncoder#KEYFRAME_INTERVAL}'s value: frames between the key frames an encoder
     * at {@code fps} makes of its own accord, at least 1; 0 for none after the first.
     *
     * @throws VideoEncoderException INVALID_PARAMETERS when it is not a number of seconds from 0 to an hour
     */
    public static long keyFrameFrames(String value, double fps) throws VideoEncoderException {
        try {
            double seconds = Double.parseDouble(value);
            if (seconds == 0) {
                return 0;
            }
            if (seconds > 0 && seconds <= 3600) {
                return Math.max(1, Math.round(seconds * fps));
            }
        } catch (NumberFormatException | NullPointerException e) {
            // reported below
        }
        throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "keyframe-interval must be a number of seconds "
                + "from 0 (none after the first) to 3600, got '" + value + "'");
    }

    /**
     * Fails when a parameter that can only be set before {@code init} is set after it.
     *
     * @throws VideoEncoderException ALREADY_INITIALIZED naming the parameter
     */
    public static void beforeInit(boolean initialized, String name) throws VideoEncoderException {
        if (initialized) {
            throw new VideoEncoderException(Reason.ALREADY_INITIALIZED, name + " can only be set before init");
        }
    }

    /**
     * Checks a resolution given to {@code init}.
     *
     * @param encoder what to call the encoder in the message
     * @param even    whether both sides must be even (4:2:0 chroma)
     * @throws VideoEncoderException INVALID_PARAMETERS for a side that is not positive, UNSUPPORTED_RESOLUTION for
     *                               one above {@code max} or odd where {@code even} is asked
     */
    public static void resolution(String encoder, int width, int height, int max, boolean even)
            throws VideoEncoderException {
        if (width <= 0 || height <= 0) {
            throw new VideoEncoderException(Reason.INVALID_PARAMETERS, "resolution must be positive, got "
                    + width + "x" + height);
        }
        if (width > max || height > max || (even && (width % 2 != 0 || height % 2 != 0))) {
            throw new VideoEncoderException(Reason.UNSUPPORTED_RESOLUTION, encoder + " takes " + (even ? "even " : "")
                    + "sizes up to " + max + ", got " + width + "x" + height);
        }
    }
}
