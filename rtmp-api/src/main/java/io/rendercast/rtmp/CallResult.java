package io.rendercast.rtmp;

/**
 * The answer to a call: {@code _result} with a value when it succeeded, {@code _error} when it failed.
 *
 * @param succeeded whether the client gets {@code _result} (true) or {@code _error} (false)
 * @param value     the AMF value sent back, may be null
 */
public record CallResult(boolean succeeded, Object value) {

    /** {@code _result} carrying {@code value}. */
    public static CallResult success(Object value) {
        return new CallResult(true, value);
    }

    /** {@code _error} carrying {@code value} (usually a status object or a message). */
    public static CallResult error(Object value) {
        return new CallResult(false, value);
    }
}
