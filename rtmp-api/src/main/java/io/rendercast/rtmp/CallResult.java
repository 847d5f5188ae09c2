package io.rendercast.rtmp;

/**
 * The answer to a call: {@code _result} with a value when it succeeded, {@code _error} when it failed.
 *
 * @param succeeded whether the client gets {@code _result} (true) or {@code _error} (false)
 * @param value     the value sent back as AMF0, may be null; see the
 *                  {@linkplain io.rendercast.rtmp package documentation} for the types AMF0 can carry
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
